/**
 * Sweep benchmark, for each scenario (`BENCH_ONLY=due`, `sequence` or `sequence-pdf` runs one, a comma-separated list
 * several): `due`, a payment-due-reminder emailing each invoice falling due in three days; `sequence`, a three-step
 * collection-sequence (-3, +1, +7 days) whose first step is due for each of them, the rest of the ledger paid or due
 * later; `sequence-pdf`, the same with `attachInvoicePdf` on every step, whose deliveries/s are compared with
 * `sequence`'s of the same run and ledger size (target ≥ 0.8×). `BENCH_SIZES=10000` measures one ledger size.
 * The same 1,000 matching invoices in a ledger of 10k, then 100k invoices, swept by the real
 * reminder-sweep workflow on the Temporal dev server (real activities, Postgres and SMTP). Prints, per size, the
 * sweep time and deliveries/s; then the ratio 100k/10k (target ≤ 1.2×) and the query phase (the paged, indexed
 * queries, measured on later sweeps whose connections are warm like the raw query's: the median of AGAIN_REPEATS,
 * since one ~2 ms sample swings by 2× on this VM) against the raw SQL of the same predicate measured in the same run
 * (median of RAW_REPEATS; target ≤ 2×).
 * Run with `npm run bench:sweep` (scripts/bench-sweep.js provisions the services).
 */
import 'reflect-metadata';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createActivities } from '../src/activities';
import { createMailer } from '../src/infra/mailer';
import { sweepPlan } from '../src/db/sweep-plans';
import { buildMatchQuery, loadSweepDefinition } from '../src/db/sweep-query';
import { createDataSource } from '../src/db/data-source';
import { todayIn } from '../src/domain/dates';
import type { ReminderSweepResult } from '../src/contracts';
import { reminderSweep, SWEEP_PAGE_SIZE } from '../src/workflows/reminder-sweep.workflow';
import { need, temporalOptions } from './env';
import { median } from './stats';

const SIZES = process.env.BENCH_SIZES ? process.env.BENCH_SIZES.split(',').map(Number) : [10_000, 100_000];
const MATCHING = 1_000;
const CUSTOMERS = 200;
const RAW_REPEATS = 5;
const AGAIN_REPEATS = 5;
const SCENARIOS = ['due', 'sequence', 'sequence-pdf'] as const;
type Scenario = (typeof SCENARIOS)[number];
const isSequence = (scenario: Scenario) => scenario !== 'due';


interface Measure {
  size: number;
  sweepMs: number;
  result: ReminderSweepResult;
  /** A second sweep of the same ledger: same queries on warm connections, every delivery skipped. */
  again: ReminderSweepResult;
  rawSqlMs: number;
  plan: string;
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  // No statement timeout: seeding a 100k ledger is one long statement.
  const dataSource = await createDataSource(need('DATABASE_URL'), 12, undefined, { statementTimeoutMs: 0 }).initialize();
  const mailer = createMailer(need('SMTP_URL'), 'Relance bench <bench@relance.local>');
  const taskQueue = `bench-sweep-${randomUUID().slice(0, 8)}`;
  const nativeConnection = await NativeConnection.connect(temporalOptions());
  const worker = await Worker.create({
    connection: nativeConnection, taskQueue, activities: createActivities({ dataSource, mailer }),
    workflowBundle: { codePath: path.resolve(__dirname, '..', '..', 'dist', 'workflow-bundle.js') },
    maxConcurrentActivityTaskExecutions: 4,
  });
  const connection = await Connection.connect(temporalOptions());
  const client = new Client({ connection });
  const only = process.env.BENCH_ONLY;
  const scenarios = SCENARIOS.filter((s) => !only || only.split(',').includes(s));
  const all = new Map<Scenario, Measure[]>();

  await worker.runUntil(async () => {
    for (const scenario of scenarios) {
      const measures: Measure[] = [];
      all.set(scenario, measures);
      for (const size of SIZES) {
        const { companyId, definitionId } = await seed(dataSource, size, scenario);
        const def = (await loadSweepDefinition(dataSource, definitionId, companyId))!;
        const raw = buildMatchQuery({ plan: sweepPlan(def.templateKey)!, def, asOf: new Date(), select: 'keyset' });
        const rawTimes: number[] = [];
        for (let i = 0; i < RAW_REPEATS; i += 1) {
          const started = performance.now();
          const rows = await dataSource.query(raw.sql, raw.params);
          rawTimes.push(performance.now() - started);
          if (rows.length !== MATCHING) throw new Error(`the raw predicate matched ${rows.length} invoices, expected ${MATCHING}`);
        }
        const page = buildMatchQuery({ plan: sweepPlan(def.templateKey)!, def, asOf: new Date(), select: 'keyset', page: { cursor: null, limit: SWEEP_PAGE_SIZE } });
        const explain: { 'QUERY PLAN': string }[] = await dataSource.query(`EXPLAIN ${page.sql}`, page.params);

        const started = performance.now();
        const result = await client.workflow.execute(reminderSweep, {
          taskQueue, workflowId: `bench-sweep-${size}-${randomUUID().slice(0, 8)}`,
          args: [{ definitionId, companyId, kind: 'sweep', trigger: 'bench' }],
        });
        const sweepMs = performance.now() - started;
        if (result.matched !== MATCHING || result.delivered !== MATCHING) {
          throw new Error(`the sweep of ${size} matched ${result.matched} and delivered ${result.delivered}, expected ${MATCHING}`);
        }
        const agains: ReminderSweepResult[] = [];
        for (let i = 0; i < AGAIN_REPEATS; i += 1) {
          // The sequence's progress forgotten, its later sweeps select the same invoices again (every delivery skipped by
          // its key), so that they measure the same query over the same matches as the raw SQL.
          if (isSequence(scenario)) await dataSource.query('DELETE FROM collection_progress WHERE definition_id = $1', [definitionId]);
          const later = await client.workflow.execute(reminderSweep, {
            taskQueue, workflowId: `bench-sweep-${size}-again-${randomUUID().slice(0, 8)}`,
            args: [{ definitionId, companyId, kind: 'sweep', trigger: 'bench' }],
          });
          if (later.matched !== MATCHING || later.skipped !== MATCHING || later.delivered !== 0) {
            throw new Error(`a later sweep of ${size} delivered ${later.delivered} and skipped ${later.skipped}, expected 0 and ${MATCHING}`);
          }
          agains.push(later);
        }
        const again = agains.sort((a, b) => a.queryMs - b.queryMs)[Math.floor(agains.length / 2)];
        measures.push({ size, sweepMs, result, again, rawSqlMs: median(rawTimes), plan: explain.map((r) => r['QUERY PLAN'].trim()).slice(0, 3).join(' / ') });
      }
    }
  });

  for (const [scenario, measures] of all) report(scenario, measures);
  reportPdf(all.get('sequence'), all.get('sequence-pdf'));

  await connection.close();
  await nativeConnection.close();
  mailer.close();
  await dataSource.destroy();
}

const rate = (m: Measure) => m.result.delivered / (m.sweepMs / 1000);

/** The same sweep with and without the invoice PDF attached, same run, same ledger size. */
function reportPdf(plain: Measure[] | undefined, pdf: Measure[] | undefined): void {
  if (!plain || !pdf) return;
  console.log('\nsweep with attachInvoicePdf vs without, same run (target ≥ 0.8×)');
  for (const m of pdf) {
    const without = plain.find((p) => p.size === m.size);
    if (!without) continue;
    const ratio = rate(m) / rate(without);
    console.log(`${String(m.size).padStart(7)}  ${rate(m).toFixed(0)} vs ${rate(without).toFixed(0)} deliveries/s: ${ratio.toFixed(2)}× ${ratio >= 0.8 ? 'OK' : 'MISSED'}`);
  }
}

function report(scenario: Scenario, measures: Measure[]): void {
  const what = scenario === 'due' ? 'payment-due-reminder, one email each'
    : `collection-sequence of 3 steps, step 1 to each${scenario === 'sequence-pdf' ? ', the invoice PDF attached' : ''}`;
  console.log(`\nsweep benchmark [${scenario}]: ${MATCHING} matching invoices (${what}) in ledgers of ${SIZES.join(' and ')}`);
  console.log('ledger   sweep time  deliveries/s  pages  query phase (1st, later median)  raw SQL (median of 5)  later/raw');
  for (const m of measures) {
    console.log(
      `${String(m.size).padStart(7)}  ${`${(m.sweepMs / 1000).toFixed(2)} s`.padStart(10)}  ${rate(m).toFixed(0).padStart(12)}  ` +
      `${String(m.result.pages).padStart(5)}  ${`${m.result.queryMs.toFixed(1)} ms, ${m.again.queryMs.toFixed(1)} ms`.padStart(27)}  ` +
      `${`${m.rawSqlMs.toFixed(1)} ms`.padStart(21)}  ${(m.again.queryMs / m.rawSqlMs).toFixed(2).padStart(6)}×`,
    );
  }
  for (const m of measures) console.log(`plan of a page at ${m.size}: ${m.plan}`);
  const [small, large] = measures;
  if (!large) return;
  const timeRatio = large.sweepMs / small.sweepMs;
  const queryRatio = large.again.queryMs / large.rawSqlMs;
  console.log(`\nsweep time 100k/10k: ${timeRatio.toFixed(2)}× (target ≤ 1.2×) ${timeRatio <= 1.2 ? 'OK' : 'MISSED'}`);
  console.log(`query phase vs raw SQL at 100k: ${queryRatio.toFixed(2)}× (target ≤ 2×) ${queryRatio <= 2 ? 'OK' : 'MISSED'}`);
  console.log(`query phase 100k/10k (later sweeps): ${(large.again.queryMs / small.again.queryMs).toFixed(2)}×`);
}

/**
 * A company whose ledger holds `size` invoices, exactly MATCHING of them falling due in the next three days. For the
 * sequence, the overdue rest is paid (an unpaid overdue invoice would be due a later step).
 */
async function seed(dataSource: Awaited<ReturnType<typeof createDataSource>>, size: number, scenario: Scenario) {
  const [company] = await dataSource.query(
    `INSERT INTO companies (name, locale, timezone, currency, plan) VALUES ($1, 'en-US', 'UTC', 'USD', 'advanced') RETURNING id`, [`Bench ${size}`]);
  const [user] = await dataSource.query(
    `INSERT INTO users (company_id, name, email, role) VALUES ($1, 'Bench Admin', 'admin@bench.test', 'admin') RETURNING id`, [company.id]);
  const customers: { id: string }[] = await dataSource.query(
    `INSERT INTO customers (company_id, name, email)
     SELECT $1, 'Customer ' || g, 'customer-' || g || '-' || $2 || '@bench.test' FROM generate_series(1, $3) g RETURNING id`,
    [company.id, size, CUSTOMERS]);
  const today = todayIn('UTC', new Date());
  const started = performance.now();
  // Matching: due today to today + 3 with a balance. The rest: due later, or overdue, in equal parts.
  await dataSource.query(
    `INSERT INTO invoices (company_id, number, customer_id, amount, balance, issue_date, due_date, created_by)
     SELECT $1, 'INV-' || g, ($2::uuid[])[(g % $3) + 1], 100.00, CASE WHEN $8 AND d.due < $7::date THEN 0 ELSE 100.00 END, d.due - 30, d.due, $4
       FROM generate_series(1, $5) g,
            LATERAL (SELECT CASE WHEN g <= $6 THEN $7::date + (g % 4)
                                 WHEN g % 2 = 0 THEN $7::date + 10 + (g % 300)
                                 ELSE $7::date - 1 - (g % 300) END AS due) d`,
    [company.id, customers.map((c) => c.id), CUSTOMERS, user.id, size, MATCHING, today, isSequence(scenario)]);
  await dataSource.query('ANALYZE invoices');
  if (isSequence(scenario)) {
    const attachInvoicePdf = scenario === 'sequence-pdf';
    const step = (offsetDays: number, subject: string) => ({ offsetDays, subject, body: 'Hello {{customerName}}, {{money balance}} is due on {{date dueDate}}.', attachInvoicePdf });
    const [def] = await dataSource.query(
      `INSERT INTO workflow_definitions (company_id, template_key, name, status, conditions, actions, schedule, locale, sequence)
       VALUES ($1, 'collection-sequence', 'Dunning', 'active', '[]', '[]', '{"time":"09:00"}', 'en-US', $2) RETURNING id`,
      [company.id, JSON.stringify({
        catchUp: 'latest',
        steps: [step(-3, 'Invoice {{invoiceNumber}} is due soon'), step(1, 'Invoice {{invoiceNumber}} is past due'), step(7, 'Invoice {{invoiceNumber}} is overdue')],
      })]);
    return { companyId: company.id as string, definitionId: def.id as string };
  }
  console.log(`seeded ${size} invoices in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const [def] = await dataSource.query(
    `INSERT INTO workflow_definitions (company_id, template_key, name, status, conditions, actions, schedule, locale)
     VALUES ($1, 'payment-due-reminder', 'Due in three days', 'active', $2, $3, '{"time":"09:00"}', 'en-US') RETURNING id`,
    [company.id,
      JSON.stringify([{ field: 'amount', op: 'gt', value: '0' }, { field: 'dueDate', op: 'within_days', value: 3 }]),
      JSON.stringify([{ type: 'email', to: 'customer', subject: 'Invoice {{invoiceNumber}} is due on {{dueDate}}',
        body: 'Hello {{customerName}}, {{money balance}} is due on {{date dueDate}}.' }])]);
  return { companyId: company.id as string, definitionId: def.id as string };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
