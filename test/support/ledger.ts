/* eslint-disable @typescript-eslint/no-explicit-any */
import { randomUUID } from 'node:crypto';
import { Http } from './http';

export const tag = () => randomUUID().slice(0, 8);

function created(what: string, res: { status: number; body: any }): any {
  if (res.status !== 201) throw new Error(`creating ${what} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function createCustomer(http: Http, body: Record<string, unknown> = {}): Promise<any> {
  return created('a customer', await http.post('/v1/customers', { name: `Globex ${tag()}`, email: `billing-${tag()}@globex.test`, ...body }));
}

export async function createInvoice(http: Http, customerId: string, body: Record<string, unknown> = {}): Promise<any> {
  return created('an invoice', await http.post('/v1/invoices', {
    number: `INV-${tag()}`, customerId, amount: '100.00', issueDate: '2026-12-01', dueDate: '2026-12-31', ...body,
  }));
}

export async function createVendor(http: Http, body: Record<string, unknown> = {}): Promise<any> {
  return created('a vendor', await http.post('/v1/vendors', { name: `Initech ${tag()}`, ...body }));
}

export async function createPayment(http: Http, invoiceId: string, amount: string): Promise<any> {
  return created('a payment', await http.post('/v1/payments', { invoiceId, amount }));
}
