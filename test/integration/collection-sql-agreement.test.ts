import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/db/data-source';
import { sweepPlan } from '../../src/db/sweep-plans';
import { buildMatchQuery } from '../../src/db/sweep-query';
import { SweepsRepository } from '../../src/db/sweeps.repository';
import { CATCH_UP_POLICIES, type CatchUp, selectStep, type Sequence } from '../../src/domain/collection-sequence';
import { addDays, todayIn } from '../../src/domain/dates';
import { testEnv } from '../support/env';

const steps = [-3, 1, 7, 30].map((offsetDays) => ({ offsetDays, subject: 's', body: 'b', attachInvoicePdf: false }));

/**
 * The sweep's statement for a collection-sequence selects exactly the invoices `selectStep` gives a step today, for
 * every catch-up policy, due date and progress: pushed down to SQL, it must not drift from the domain.
 */
describe('collection-sequence: the sweep SQL agrees with selectStep', () => {
  let dataSource: DataSource;
  let sweeps: SweepsRepository;
  let companyId: string;
  const timezone = 'Pacific/Kiritimati'; // UTC+14: "today" here is often tomorrow in UTC
  const asOf = new Date();
  const today = todayIn(timezone, asOf);
  const invoices: Array<{ id: string; dueDate: string; lastStep: number; excluded: boolean; pauseOver: boolean }> = [];
  const definitions = new Map<CatchUp, string>();

  beforeAll(async () => {
    dataSource = await createDataSource(testEnv().databaseUrl, 2).initialize();
    sweeps = new SweepsRepository(dataSource);
    const tag = randomUUID().slice(0, 8);
    [{ id: companyId }] = await dataSource.query(
      `INSERT INTO companies (name, locale, timezone, currency, plan) VALUES ($1, 'en-US', $2, 'USD', 'advanced') RETURNING id`, [`Seq ${tag}`, timezone]);
    const [{ id: userId }] = await dataSource.query(
      `INSERT INTO users (company_id, name, email, role) VALUES ($1, 'Ada', $2, 'admin') RETURNING id`, [companyId, `ada-${tag}@seq.test`]);
    const [{ id: customerId }] = await dataSource.query(
      `INSERT INTO customers (company_id, name, email) VALUES ($1, 'Acme', $2) RETURNING id`, [companyId, `acme-${tag}@seq.test`]);
    const [{ id: optedOut }] = await dataSource.query(
      `INSERT INTO customers (company_id, name, email, reminders_enabled) VALUES ($1, 'Gone', $2, false) RETURNING id`, [companyId, `gone-${tag}@seq.test`]);
    for (const catchUp of CATCH_UP_POLICIES) {
      const [def] = await dataSource.query(
        `INSERT INTO workflow_definitions (company_id, template_key, name, status, conditions, actions, schedule, locale, sequence)
         VALUES ($1, 'collection-sequence', $2, 'active', '[]', '[]', '{"time":"09:00"}', 'en-US', $3) RETURNING id`,
        [companyId, `Seq ${catchUp}`, JSON.stringify({ steps, catchUp })]);
      definitions.set(catchUp, def.id);
    }
    let n = 0;
    for (let d = -45; d <= 10; d += 1) {
      for (const lastStep of [-1, 0, 1, 2, 3]) {
        n += 1;
        const dueDate = addDays(today, d);
        // Every 7th is paid, every 11th paused, every 13th of the opted-out customer: none of them is ever selected.
        // Every 3rd was paused until today or yesterday: its pause is over, and it is selected like any other.
        const paid = n % 7 === 0;
        const paused = n % 11 === 0;
        const gone = n % 13 === 0;
        const pauseOver = !paused && n % 3 === 0;
        const [row] = await dataSource.query(
          `INSERT INTO invoices (company_id, number, customer_id, amount, balance, issue_date, due_date, created_by, reminders_paused_at, reminders_paused_until)
           VALUES ($1, $2, $3, 100, $4, $5, $6, $7, $8, $9) RETURNING id`,
          [companyId, `S-${n}`, gone ? optedOut : customerId, paid ? 0 : 100, addDays(dueDate, -60), dueDate, userId,
            paused || pauseOver ? new Date() : null, paused ? addDays(today, 2) : pauseOver ? addDays(today, -(n % 2)) : null]);
        invoices.push({ id: row.id, dueDate, lastStep, excluded: paid || paused || gone, pauseOver });
        if (lastStep >= 0) {
          for (const id of definitions.values()) {
            await dataSource.query('INSERT INTO collection_progress (definition_id, invoice_id, last_step) VALUES ($1, $2, $3)', [id, row.id, lastStep]);
          }
        }
      }
    }
    await dataSource.query('ANALYZE invoices');
  });
  afterAll(() => dataSource?.destroy());

  it.each(CATCH_UP_POLICIES)('catch-up %s: the same invoices, page by page', async (catchUp) => {
    const def = (await sweeps.findDefinition(definitions.get(catchUp)!, companyId))!;
    const plan = sweepPlan('collection-sequence')!;
    const sequence: Sequence = { steps, catchUp };
    const expected = invoices
      .filter((i) => !i.excluded && selectStep(sequence, { dueDate: i.dueDate, today, lastStep: i.lastStep }) !== null)
      .map((i) => i.id).sort();
    expect(expected.length).toBeGreaterThan(5);
    expect(invoices.filter((i) => i.pauseOver && expected.includes(i.id)).length).toBeGreaterThan(0); // pauses that ended today or before
    const found: string[] = [];
    let cursor = null;
    do {
      const page = await sweeps.findMatchingIds(plan, def, asOf, { cursor, limit: 7 });
      found.push(...page.map((r) => r.id));
      const last = page[page.length - 1];
      cursor = page.length === 7 ? { key: last.k ?? null, id: last.id } : null;
    } while (cursor);
    expect(found.sort()).toEqual(expected);
    // The details carry the progress the domain reads, so that the delivery picks the step the query selected.
    const details = await sweeps.findMatchingDetails(plan, def, asOf, found);
    for (const d of details) {
      const invoice = invoices.find((i) => i.id === d.id)!;
      expect(Number(d.last_step)).toBe(invoice.lastStep);
    }
  });

  it('reads a page as one range scan of an index on the due date', async () => {
    const def = (await sweeps.findDefinition(definitions.get('latest')!, companyId))!;
    const page = buildMatchQuery({ plan: sweepPlan('collection-sequence')!, def, asOf, select: 'keyset', page: { cursor: null, limit: 1000 } });
    // A tiny table would be read whole: with sequential and bitmap scans off, the page must still be an ordered range scan.
    const plan = await dataSource.transaction(async (m) => {
      await m.query('SET LOCAL enable_seqscan = off');
      await m.query('SET LOCAL enable_bitmapscan = off');
      const rows: Array<{ 'QUERY PLAN': string }> = await m.query(`EXPLAIN ${page.sql}`, page.params);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toMatch(/Index (Only )?Scan using invoices_company_due_open on invoices a/);
    expect(plan).not.toMatch(/Seq Scan on invoices|Sort Key: a\.due_date/);
  });
});
