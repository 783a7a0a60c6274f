import { useLayoutEffect, useState } from 'preact/hooks';
import { api, errorMessage, type Schemas } from '../../api/client';
import type { paths } from '../../api/schema';
import { early, startEarly } from '../../early';
import { defineMessages, useFormat, useMessages } from '../../i18n';
import { Link, useLocation } from '../../router';
import { Button, Field, Page, Status, TableRegion } from '../../ui';
import { APPROVAL_STATUSES, STATUS_BADGE, approvalWords, type ApprovalStatus } from './approval-words';
import { startCustomerChoices, useCustomerChoices, useCustomerNames } from './customers';

const messages = defineMessages({
  'en-US': {
    title: 'Invoices',
    filters: 'Filters',
    customer: 'Customer',
    anyCustomer: 'Every customer',
    dueFrom: 'Due from',
    dueTo: 'Due to',
    sent: 'Sent',
    paid: 'Paid',
    any: 'Either',
    yes: 'Yes',
    no: 'No',
    apply: 'Apply',
    clear: 'Clear filters',
    table: 'Invoices',
    number: 'Number',
    issued: 'Issued',
    due: 'Due',
    amount: 'Amount',
    balance: 'Balance',
    none: 'No invoice matches these filters.',
    previous: 'Previous',
    next: 'Next',
    first: 'First page',
    pages: 'Pages',
  },
  'fr-CA': {
    title: 'Factures',
    filters: 'Filtres',
    customer: 'Client',
    anyCustomer: 'Tous les clients',
    dueFrom: 'Échéance à partir du',
    dueTo: "Échéance jusqu'au",
    sent: 'Envoyée',
    paid: 'Payée',
    any: 'Peu importe',
    yes: 'Oui',
    no: 'Non',
    apply: 'Appliquer',
    clear: 'Effacer les filtres',
    table: 'Factures',
    number: 'Numéro',
    issued: 'Émise',
    due: 'Échéance',
    amount: 'Montant',
    balance: 'Solde',
    none: 'Aucune facture ne correspond à ces filtres.',
    previous: 'Précédent',
    next: 'Suivant',
    first: 'Première page',
    pages: 'Pages',
  },
});

const FILTERS = ['approvalStatus', 'customerId', 'dueFrom', 'dueTo', 'sent', 'paid'] as const;
type Filter = (typeof FILTERS)[number];
type Query = paths['/v1/invoices']['get']['parameters']['query'];

/** The URL's query as the API's: the filters live in the URL, so a filtered list can be bookmarked and reloaded. */
function apiQuery(query: URLSearchParams): Query {
  const wanted: Record<string, string | number> = { limit: 50 };
  for (const name of [...FILTERS, 'cursor']) {
    const value = query.get(name);
    if (value) wanted[name] = value;
  }
  return wanted as Query;
}

const readPage = (query: URLSearchParams) => api.GET('/v1/invoices', { params: { query: apiQuery(query) } });

/** Its route's loader: the page of invoices the URL asks for and the customers to filter by, read as the console boots. */
export function startInvoicesReads(query: URLSearchParams): void {
  startEarly(`invoices?${query.toString()}`, () => readPage(query));
  startCustomerChoices();
}

function href(values: Partial<Record<Filter | 'cursor', string>>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value) query.set(name, value);
  const text = query.toString();
  return text ? `/invoices?${text}` : '/invoices';
}

/** The invoices, one page at a time (50, by the API's cursor), filtered by approval status, customer, due day, sent, paid. */
export function Invoices(_: Record<string, string>) {
  const words = useMessages(messages);
  const statusWords = useMessages(approvalWords);
  const format = useFormat();
  const { query, navigate } = useLocation();
  const queryText = query.toString();
  const customers = useCustomerChoices();
  const [page, setPage] = useState<Schemas['InvoicePage'] | null>(null);
  const [error, setError] = useState<string>();
  const [previous, setPrevious] = useState<string[]>([]);
  const names = useCustomerNames(page?.data.map((invoice) => invoice.customerId) ?? []);

  const [statuses, setStatuses] = useState<ApprovalStatus[]>([]);
  const [form, setForm] = useState<Record<Exclude<Filter, 'approvalStatus'>, string>>({ customerId: '', dueFrom: '', dueTo: '', sent: '', paid: '' });
  // A layout effect: the page the boot started reading is often answered already, and an effect would take it a frame later.
  useLayoutEffect(() => {
    setStatuses((query.get('approvalStatus') ?? '').split(',').filter((s): s is ApprovalStatus => (APPROVAL_STATUSES as readonly string[]).includes(s)));
    setForm({ customerId: query.get('customerId') ?? '', dueFrom: query.get('dueFrom') ?? '', dueTo: query.get('dueTo') ?? '', sent: query.get('sent') ?? '', paid: query.get('paid') ?? '' });
    let live = true;
    setPage(null);
    void early(`invoices?${queryText}`, () => readPage(query)).then(({ data, error: refused }) => {
      if (!live) return;
      setPage(data ?? null);
      setError(data ? undefined : errorMessage(refused));
    });
    return () => { live = false; };
  }, [queryText]);

  const filters = (): Partial<Record<Filter, string>> => ({ ...form, approvalStatus: APPROVAL_STATUSES.filter((s) => statuses.includes(s)).join(',') });
  const apply = (event: Event) => {
    event.preventDefault();
    setPrevious([]);
    navigate(href(filters()));
  };
  const current = Object.fromEntries(FILTERS.map((name) => [name, query.get(name) ?? ''])) as Record<Filter, string>;
  const next = () => {
    setPrevious([...previous, query.get('cursor') ?? '']);
    navigate(href({ ...current, cursor: page!.nextCursor! }));
  };
  const back = () => {
    const before = previous.slice(0, -1);
    const cursor = previous[previous.length - 1];
    setPrevious(before);
    navigate(href({ ...current, cursor }));
  };
  const toggle = (status: ApprovalStatus, on: boolean) => setStatuses(on ? [...statuses, status] : statuses.filter((s) => s !== status));
  const set = (name: keyof typeof form) => (event: Event) => setForm({ ...form, [name]: (event.currentTarget as HTMLInputElement).value });

  return (
    <Page title={words.title}>
      <form class="filters" onSubmit={apply} aria-label={words.filters}>
        <fieldset>
          <legend>{statusWords.approvalStatus}</legend>
          {APPROVAL_STATUSES.map((status) => (
            <label key={status} class="choice">
              <input type="checkbox" checked={statuses.includes(status)} onChange={(e) => toggle(status, e.currentTarget.checked)} />
              {statusWords[status]}
            </label>
          ))}
        </fieldset>
        <Field label={words.customer}>
          {(props) => (
            <select {...props} value={form.customerId} onChange={set('customerId')}>
              <option value="">{words.anyCustomer}</option>
              {form.customerId && !customers?.some((c) => c.id === form.customerId) && (
                <option value={form.customerId}>{names.get(form.customerId) ?? form.customerId}</option>
              )}
              {customers?.map((customer) => <option key={customer.id} value={customer.id}>{customer.name}</option>)}
            </select>
          )}
        </Field>
        <Field label={words.dueFrom}>{(props) => <input {...props} type="date" value={form.dueFrom} onInput={set('dueFrom')} />}</Field>
        <Field label={words.dueTo}>{(props) => <input {...props} type="date" value={form.dueTo} onInput={set('dueTo')} />}</Field>
        {(['sent', 'paid'] as const).map((name) => (
          <Field key={name} label={words[name]}>
            {(props) => (
              <select {...props} value={form[name]} onChange={set(name)}>
                <option value="">{words.any}</option>
                <option value="true">{words.yes}</option>
                <option value="false">{words.no}</option>
              </select>
            )}
          </Field>
        ))}
        <div class="row">
          <Button type="submit" variant="primary">{words.apply}</Button>
          {queryText && <Button onClick={() => { setPrevious([]); navigate('/invoices'); }}>{words.clear}</Button>}
        </div>
      </form>
      <Status loading={!page && !error} error={error} empty={page?.data.length === 0 ? words.none : undefined}>
        <TableRegion label={words.table}>
          <table class="nowrap">
            <thead>
              <tr>
                <th scope="col">{words.number}</th>
                <th scope="col">{words.customer}</th>
                <th scope="col">{words.issued}</th>
                <th scope="col">{words.due}</th>
                <th scope="col" class="number">{words.amount}</th>
                <th scope="col" class="number">{words.balance}</th>
                <th scope="col">{statusWords.approvalStatus}</th>
                <th scope="col">{words.sent}</th>
              </tr>
            </thead>
            <tbody>
              {page?.data.map((invoice) => (
                <tr key={invoice.id}>
                  <th scope="row"><Link to={`/invoices/${invoice.id}`}>{invoice.number}</Link></th>
                  <td>{names.get(invoice.customerId) ?? ''}</td>
                  <td>{format.day(invoice.issueDate)}</td>
                  <td>{format.day(invoice.dueDate)}</td>
                  <td class="number">{format.money(invoice.amount)}</td>
                  <td class="number">{format.money(invoice.balance)}</td>
                  <td><span class={`badge ${STATUS_BADGE[invoice.approvalStatus]}`}>{statusWords[invoice.approvalStatus]}</span></td>
                  <td>{invoice.sentAt ? format.instant(invoice.sentAt) : words.no}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      </Status>
      {(page?.nextCursor || query.get('cursor')) && (
        <nav class="pager" aria-label={words.pages}>
          {previous.length > 0 && <Button onClick={back}>{words.previous}</Button>}
          {previous.length === 0 && query.get('cursor') && <Button onClick={() => navigate(href(current))}>{words.first}</Button>}
          {page?.nextCursor && <Button onClick={next}>{words.next}</Button>}
        </nav>
      )}
    </Page>
  );
}
