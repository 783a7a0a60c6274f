import { useEffect, useState } from 'preact/hooks';
import { api, type Schemas } from '../../api/client';
import { early, startEarly } from '../../early';

const names = new Map<string, string>();

const readChoices = () => api.GET('/v1/customers', { params: { query: { limit: 200 } } });

/** Reads the customers to choose from as the console boots on the invoices (see early.ts). */
export function startCustomerChoices(): void {
  startEarly('customer-choices', readChoices);
}

/** The first page of customers (200), for the filter's choice: the list never loads them all. */
export function useCustomerChoices(): Schemas['Customer'][] | null {
  const [customers, setCustomers] = useState<Schemas['Customer'][] | null>(null);
  useEffect(() => {
    void early('customer-choices', readChoices).then(({ data }) => {
      for (const customer of data?.data ?? []) names.set(customer.id, customer.name);
      setCustomers(data?.data ?? []);
    });
  }, []);
  return customers;
}

/** The names of the customers a page of invoices shows, each asked once and remembered for the visit. */
export function useCustomerNames(ids: string[]): Map<string, string> {
  const [, setVersion] = useState(0);
  const key = [...new Set(ids)].sort().join(',');
  useEffect(() => {
    const missing = [...new Set(ids)].filter((id) => !names.has(id));
    if (!missing.length) return;
    let live = true;
    void Promise.all(missing.map(async (id) => {
      const { data } = await api.GET('/v1/customers/{id}', { params: { path: { id } } });
      names.set(id, data?.name ?? '');
    })).then(() => live && setVersion((v) => v + 1));
    return () => { live = false; };
  }, [key]);
  return names;
}
