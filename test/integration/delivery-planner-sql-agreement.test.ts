import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/db/data-source';
import { DETAIL_SELECT, planFacts, sweepPlan, toSweepRecord } from '../../src/db/sweep-plans';
import { SweepsRepository } from '../../src/db/sweeps.repository';
import { addDays, todayIn } from '../../src/domain/dates';
import { planRecord, SKIP_REASONS, skipReason, UNMATCHED_SKIP_REASONS } from '../../src/domain/delivery-planner';
import { testEnv } from '../support/env';

const steps = [-3, 1].map((offsetDays) => ({ offsetDays, subject: 's', body: 'b', attachInvoicePdf: false }));

/**
 * The planner's skip reasons and their SQL twin (`skipReasonSql`, and `remindable` that a sequence's statement uses)
 * over every combination of the facts: a suppressed address, an opted-out customer, a dispute, a promise on each side
 * of its grace, a pause on each side of its end. The SQL must give each invoice the planner's reason, and the sweep
 * must select exactly the invoices the planner plans and does not leave out.
 */
describe('the delivery planner and its SQL twin agree on every skip reason and combination', () => {
  let dataSource: DataSource;
  let sweeps: SweepsRepository;
  let companyId: string;
  let definitionId: string;
  const timezone = 'Pacific/Kiritimati'; // UTC+14: "today" here is often tomorrow in UTC
  const asOf = new Date();
  const today = todayIn(timezone, asOf);
  const ids: string[] = [];

  beforeAll(async () => {
    dataSource = await createDataSource(testEnv().databaseUrl, 2).initialize();
    sweeps = new SweepsRepository(dataSource);
    const tag = randomUUID().slice(0, 8);
    [{ id: companyId }] = await dataSource.query(
      `INSERT INTO companies (name, locale, timezone, currency, plan) VALUES ($1, 'en-US', $2, 'USD', 'advanced') RETURNING id`, [`Plan ${tag}`, timezone]);
    const [{ id: userId }] = await dataSource.query(
      `INSERT INTO users (company_id, name, email, role) VALUES ($1, 'Ada', $2, 'admin') RETURNING id`, [companyId, `ada-${tag}@plan.test`]);
    [{ id: definitionId }] = await dataSource.query(
      `INSERT INTO workflow_definitions (company_id, template_key, name, status, conditions, actions, schedule, locale, sequence)
       VALUES ($1, 'collection-sequence', 'Plan', 'active', '[]', '[]', '{"time":"09:00"}', 'en-US', $2) RETURNING id`,
      [companyId, JSON.stringify({ steps, catchUp: 'latest' })]);
    let n = 0;
    for (const suppressed of [false, true]) {
      for (const optedOut of [false, true]) {
        n += 1;
        // Mixed case on one side: an address is the same address whatever its case.
        const email = `Buyer-${n}-${tag}@Plan.test`;
        const [{ id: customerId }] = await dataSource.query(
          'INSERT INTO customers (company_id, name, email, reminders_enabled) VALUES ($1, $2, $3, $4) RETURNING id', [companyId, `Buyer ${n}`, email, !optedOut]);
        if (suppressed) {
          await dataSource.query(`INSERT INTO suppressions (company_id, address, origin, reason) VALUES ($1, $2, 'bounce', '5.1.1')`, [companyId, email.toLowerCase()]);
        }
        for (const disputed of [false, true]) {
          for (const promised of [null, -4, -3, -2, 0, 3]) {
            for (const paused of ['no', 'for good', 'until today', 'until tomorrow'] as const) {
              for (const dueIn of [-1, 10]) { // a step due today, and none
                const until = paused === 'until today' ? today : paused === 'until tomorrow' ? addDays(today, 1) : null;
                const [row] = await dataSource.query(
                  `INSERT INTO invoices (company_id, number, customer_id, amount, balance, issue_date, due_date, created_by,
                                         reminders_paused_at, reminders_paused_until, disputed_at, promised_on)
                   VALUES ($1, $2, $3, 100, 100, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
                  [companyId, `P-${ids.length}`, customerId, addDays(today, -40), addDays(today, dueIn), userId,
                    paused === 'no' ? null : new Date(), until, disputed ? new Date() : null, promised === null ? null : addDays(today, promised)]);
                ids.push(row.id);
              }
            }
          }
        }
      }
    }
  });
  afterAll(() => dataSource?.destroy());

  it('gives each invoice the planner\'s reason, and every reason occurs', async () => {
    const def = (await sweeps.findDefinition(definitionId, companyId))!;
    const plan = sweepPlan('collection-sequence')!;
    const company = { name: def.companyName, currency: def.currency, timezone: def.timezone };
    // The detail statement without the sequence's rule: every invoice of the company, with its facts.
    const details: Record<string, unknown>[] = await dataSource.query(
      `SELECT * FROM (${DETAIL_SELECT.invoice} WHERE a.company_id = $1 AND a.id = ANY($2::uuid[])) d`, [companyId, ids]);
    expect(details).toHaveLength(ids.length);
    const sqlReasons = await sweeps.findSkipReasons(companyId, today, ids);
    const planned = details.map((raw) => planFacts(toSweepRecord(plan.recordType, raw, { company, asOf })));
    const disagreements = planned
      .map((facts) => ({ id: facts.id, planner: skipReason(facts, today), sql: sqlReasons.get(facts.id) ?? null }))
      .filter((c) => c.planner !== c.sql);
    expect(disagreements).toEqual([]);
    expect(new Set(planned.map((facts) => skipReason(facts, today)))).toEqual(new Set([...SKIP_REASONS, null]));
  });

  it('selects exactly the invoices the planner plans and does not leave out', async () => {
    const def = (await sweeps.findDefinition(definitionId, companyId))!;
    const plan = sweepPlan('collection-sequence')!;
    const found = (await sweeps.findMatchingIds(plan, def, asOf, undefined)).map((r) => r.id).sort();
    const company = { name: def.companyName, currency: def.currency, timezone: def.timezone };
    const all: Record<string, unknown>[] = await dataSource.query(
      `${DETAIL_SELECT.invoice} WHERE a.company_id = $1`, [companyId]);
    const expected = all
      .map((raw) => planFacts(toSweepRecord(plan.recordType, { ...raw, last_step: -1 }, { company, asOf })))
      .filter((facts) => {
        const reason = skipReason(facts, today);
        return planRecord({ ...def, actions: [] }, facts, new Map(), { today, now: asOf }) !== null && !(reason && UNMATCHED_SKIP_REASONS.includes(reason));
      })
      .map((facts) => facts.id).sort();
    expect(expected.length).toBeGreaterThan(10);
    expect(found).toEqual(expected);
    // What is loaded is planned: skipped with its reason (suppressed, disputed, promised) or delivered.
    const loaded = await sweeps.findMatchingDetails(plan, def, asOf, found);
    const reasons = new Set(loaded.map((raw) => skipReason(planFacts(toSweepRecord(plan.recordType, raw, { company, asOf })), today)));
    expect(reasons).toEqual(new Set(['suppressed', 'disputed', 'promised', null]));
  });
});
