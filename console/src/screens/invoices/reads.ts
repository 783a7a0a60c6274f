import { api } from '../../api/client';
import type { paths } from '../../api/schema';
import { startEarly } from '../../early';
import { startCustomerChoices } from './customers';

export const FILTERS = ['approvalStatus', 'customerId', 'dueFrom', 'dueTo', 'sent', 'paid'] as const;
export type Filter = (typeof FILTERS)[number];
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

export const readPage = (query: URLSearchParams) => api.GET('/v1/invoices', { params: { query: apiQuery(query) } });

/** The invoices' route loader: the page the URL asks for and the customers to filter by, read as the console boots. */
export function startInvoicesReads(query: URLSearchParams): void {
  startEarly(`invoices?${query.toString()}`, () => readPage(query));
  startCustomerChoices();
}
