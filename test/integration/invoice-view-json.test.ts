import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { toInvoiceView } from '../../src/api/invoices/invoice.mapper';
import { createDataSource } from '../../src/db/data-source';
import { Invoice } from '../../src/db/entities';
import { testEnv } from '../support/env';

/**
 * `invoices.view_json` (kept by a trigger, served by the list, GET, and create) must be exactly what toInvoiceView
 * makes of the entity (served by PATCH): the same invoice never shows two ways. Rows are written with SQL, as the
 * workflows and payments do, with the values most likely to disagree.
 */
describe('invoices.view_json', () => {
  let dataSource: DataSource;
  let companyId: string;
  let customerId: string;
  let locationId: string;
  let userId: string;

  beforeAll(async () => {
    dataSource = createDataSource(testEnv().databaseUrl, 2);
    await dataSource.initialize();
    const tag = randomUUID().slice(0, 8);
    [{ id: companyId }] = await dataSource.query(
      `INSERT INTO companies (name, locale, timezone, currency, plan) VALUES ($1, 'fr-CA', 'Pacific/Kiritimati', 'CAD', 'advanced') RETURNING id`,
      [`View JSON ${tag}`]);
    [{ id: userId }] = await dataSource.query(
      `INSERT INTO users (company_id, name, email, role) VALUES ($1, 'Zoé', $2, 'standard') RETURNING id`, [companyId, `zoe-${tag}@view.test`]);
    [{ id: customerId }] = await dataSource.query(`INSERT INTO customers (company_id, name) VALUES ($1, 'Acme') RETURNING id`, [companyId]);
    [{ id: locationId }] = await dataSource.query(`INSERT INTO locations (company_id, name) VALUES ($1, 'Montréal') RETURNING id`, [companyId]);
  });
  afterAll(async () => {
    await dataSource?.destroy();
  });

  async function insert(values: Record<string, unknown>): Promise<string> {
    const row = {
      company_id: companyId, number: `V-${randomUUID().slice(0, 8)}`, customer_id: customerId, amount: '100.00', balance: '100.00',
      issue_date: '2026-12-01', due_date: '2026-12-31', created_by: userId, ...values,
    };
    const columns = Object.keys(row);
    const [{ id }] = await dataSource.query(
      `INSERT INTO invoices (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`, Object.values(row));
    return id as string;
  }

  async function expectAgreement(id: string): Promise<void> {
    const entity = await dataSource.getRepository(Invoice).findOneByOrFail({ id });
    const [{ view_json: stored }] = await dataSource.query('SELECT view_json FROM invoices WHERE id = $1', [id]);
    expect(JSON.parse(stored)).toEqual(toInvoiceView(entity));
    // Same keys in the same order, so that a client diffing raw bodies sees no difference either.
    expect(stored).toBe(JSON.stringify(toInvoiceView(entity)));
  }

  it.each([
    ['defaults', {}],
    ['a location, a stamp and a sent instant with microseconds', {
      location_id: 'LOCATION', stamp: 'RELANCE 1', sent_at: '2026-12-02T03:04:05.678901Z',
    }],
    ['text that JSON must escape', { number: `N "1" \\ ${randomUUID().slice(0, 4)}`, memo: 'l\'été "quoted" \\ back\nline\ttab \u0001 🧾 </script> \u2028' }],
    ['large and odd amounts', { amount: '999999999999.99', balance: '0.50' }],
    ['instants at the edges of a millisecond and of a year', {
      created_at: '2026-12-31T23:59:59.999Z', updated_at: '2027-01-01T00:00:00.000999Z', sent_at: '2026-01-01T00:00:00Z',
    }],
    ['every approval status', { approval_status: 'pending_approval', approval_submissions: 3 }],
    ['an open dispute and a promise to pay across a year\'s end', {
      disputed_at: '2026-12-03T01:02:03.456789Z', dispute_reason: 'Jamais livré "ici" </script>', promised_on: '2026-12-30',
    }],
  ])('agrees with toInvoiceView on insert: %s', async (_, values) => {
    const id = await insert(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v === 'LOCATION' ? locationId : v])));
    await expectAgreement(id);
  });

  it('follows every later change, whatever statement makes it', async () => {
    const id = await insert({});
    await dataSource.query(`UPDATE invoices SET balance = '25.00', approval_status = 'approved', updated_at = now() WHERE id = $1`, [id]);
    await expectAgreement(id);
    await dataSource.query(`UPDATE invoices SET memo = $2, location_id = $3, due_date = '2027-02-28' WHERE id = $1`, [id, 'après\r\n', locationId]);
    await expectAgreement(id);
    await dataSource.getRepository(Invoice).update({ id }, { stamp: 'OVERDUE', sentAt: new Date('2026-12-05T10:00:00.1Z') });
    await expectAgreement(id);
  });
});
