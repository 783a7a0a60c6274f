/**
 * Scale benchmark: `npm run bench:scale` (scripts/bench.js provisions Postgres, Temporal and SMTP, builds, migrates,
 * then runs this file). Three parts, one after the other on the same dev server:
 *   product   N companies sign up through the REST API (real API and worker from dist/), each with its default
 *             definitions (two reminder schedules); the definitions are then moved to one minute of one timezone
 *             (the product's own schedule sync, as a PATCH of their time does) and all fire in that minute, spread
 *             by the jitter. Empty ledgers: each firing is a whole sweep (run recorded, a page queried, run closed)
 *             that finds nothing to send; bench:sweep measures the cost of deliveries.
 *   baseline  the raw Temporal client creates as many bare schedules, due in the same way with the same jitter, firing
 *             an empty workflow (bench/baseline.workflows.ts) on a worker process of its own.
 *   pending   the real invoiceApproval workflow under the product's worker budget (bench/scale.worker.ts: activities
 *             that answer at once), started by the raw client until 1k, 5k and 10k approvals wait for a decision:
 *             the worker's and the server's memory at each level.
 * The product's schedules are moved with the spec its scheduler makes (ReminderScheduler.options). CPU per firing is
 * each process's CPU from just before the due minute to the last firing's end, idle time included, over the firings.
 * Targets (issue #17): p99 lag from the due time to the sweep's start ≤ jitter + 10 s; worker RSS at 10k pending
 * ≤ 1.1× its RSS at 5k. Env: BENCH_COMPANIES (N, default 2000), BENCH_JITTER_SECONDS (default the product's own,
 * DEFAULT_SCHEDULE_JITTER_SECONDS: every schedule is due in the same minute, spread as a deployment spreads it), BENCH_PENDING (default 1000,5000,10000), BENCH_CONCURRENCY (default 16), BENCH_SKIP (product,baseline,pending).
 */
import { Client, Connection, ScheduleOverlapPolicy } from '@temporalio/client';
import { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { DEFAULT_SCHEDULE_JITTER_SECONDS } from '../src/config';
import type { InvoiceApprovalInput } from '../src/contracts';
import { createDataSource } from '../src/db/data-source';
import { ReminderDefinitionsRepository } from '../src/db/reminder-definitions.repository';
import { CATCHUP_WINDOW, ReminderScheduler } from '../src/infra/reminder-scheduler';
import { freePort } from '../test/support/net';
import { baselineSweep } from './baseline.workflows';
import { CpuSample, pidListening, sampleCpu } from './cpu';
import { need, temporalOptions } from './env';
import { call, memoryMb, startProcess, stopProcess, waitForApi } from './processes';

const N = Number(process.env.BENCH_COMPANIES ?? 2000);
const JITTER_S = Number(process.env.BENCH_JITTER_SECONDS ?? DEFAULT_SCHEDULE_JITTER_SECONDS);
const PENDING = (process.env.BENCH_PENDING ?? '1000,5000,10000').split(',').map(Number);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const SKIP = new Set((process.env.BENCH_SKIP ?? '').split(',').filter(Boolean));
const SLACK_S = 10;
const SCHEDULES_PER_COMPANY = 2;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const seconds = (t0: number) => (performance.now() - t0) / 1000;

/** Runs `op(i)` for i < count with `concurrency` in flight; every op must succeed. Returns the seconds it took. */
async function pool(count: number, concurrency: number, op: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) await op(next++);
  }));
  return seconds(t0);
}

function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

/** The first whole minute at least `aheadMs` from now. */
function minuteAfter(aheadMs: number): Date {
  const t = new Date(Date.now() + aheadMs);
  t.setUTCSeconds(0, 0);
  t.setUTCMinutes(t.getUTCMinutes() + 1);
  return t;
}

const hhmm = (t: Date) => `${String(t.getUTCHours()).padStart(2, '0')}:${String(t.getUTCMinutes()).padStart(2, '0')}`;

async function waitFor(what: string, deadline: number, probe: () => Promise<boolean>): Promise<void> {
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(1000);
  }
}

/** Like waitFor, but a firing backlog that outlasts the deadline is a result (the lag target missed), not an error. */
async function waitForFirings(what: string, deadline: number, probe: () => Promise<boolean>): Promise<boolean> {
  while (!(await probe())) {
    if (Date.now() > deadline) {
      console.log(`gave up waiting for ${what}: reporting the firings done so far`);
      return false;
    }
    await sleep(1000);
  }
  return true;
}

/** The backlog may drain after the jitter window: allow it two minutes plus a quarter second per firing. */
const drainDeadline = (due: Date, firings: number) => due.getTime() + (JITTER_S + 120 + firings / 4) * 1000;

interface Firings {
  label: string;
  schedules: number;
  /** Firings completed when the bench stopped waiting. */
  done: number;
  createRate: number;
  /** From the due time (the minute, before jitter) to Temporal starting the workflow, s. */
  firedLag: number[];
  /** From the due time to the sweep's first activity (its run row), s; the product only. */
  startLag?: number[];
  /** Firings per second from the first start to the last close. */
  rate: number;
  cpu: [CpuSample, CpuSample];
  memory: Record<string, number>;
  /** Per firing: Postgres commits and rows written (the bench is the database's only other client, and idle meanwhile). */
  db?: { commits: number; rows: number };
  /** History of one firing's workflow: events and workflow tasks. */
  history: { events: number; workflowTasks: number; activities: number };
}

/** Database work from Postgres's own counters. */
async function dbCounters(db: PgClient): Promise<{ commits: number; rows: number }> {
  const [row] = (await db.query(
    `SELECT xact_commit::bigint AS commits, (tup_inserted + tup_updated + tup_deleted)::bigint AS rows FROM pg_stat_database WHERE datname = current_database()`,
  )).rows;
  return { commits: Number(row.commits), rows: Number(row.rows) };
}

async function historyOf(client: Client, workflowId: string): Promise<Firings['history']> {
  const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  /* eslint-disable-next-line @typescript-eslint/no-explicit-any */
  const count = (type: string) => events.filter((e) => (e as any)[`${type}EventAttributes`]).length;
  return { events: events.length, workflowTasks: count('workflowTaskCompleted'), activities: count('activityTaskScheduled') };
}

type Processes = Record<string, { pid: number | undefined; tree?: boolean }>;

const portOf = (url: string) => Number(new URL(url.includes('://') ? url : `tcp://${url}`).port);

function memory(processes: Processes): Record<string, number> {
  return Object.fromEntries(Object.entries(processes).map(([name, p]) => [name, memoryMb(p.pid, p.tree)]));
}

/** Start and close times of the workflows of a task queue and type, from visibility. */
async function executions(client: Client, taskQueue: string, type: string): Promise<Array<{ id: string; start: number; close?: number }>> {
  const out: Array<{ id: string; start: number; close?: number }> = [];
  for await (const wf of client.workflow.list({ query: `TaskQueue="${taskQueue}" AND WorkflowType="${type}"` })) {
    out.push({ id: wf.workflowId, start: wf.startTime.getTime(), close: wf.closeTime?.getTime() });
  }
  return out;
}

async function product(client: Client, db: PgClient, shared: Processes): Promise<Firings> {
  const tag = randomUUID().slice(0, 8);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const taskQueue = `bench-scale-${tag}`;
  const env = { TEMPORAL_TASK_QUEUE: taskQueue, REMINDER_SCHEDULE_JITTER_SECONDS: String(JITTER_S) };
  const started: ChildProcess[] = [];
  // No statement timeout: the seeding statements are long by design.
  const dataSource = await createDataSource(need('DATABASE_URL'), 4, undefined, { statementTimeoutMs: 0 }).initialize();
  try {
    const api = await startProcess('the API', 'dist/api/main.js', { ...env, PORT: String(port) }, 'listening');
    started.push(api);
    const worker = await startProcess('the worker', 'dist/worker/main.js', env, 'polling task queue');
    started.push(worker);
    await waitForApi(base, api);
    const processes: Processes = { api: { pid: api.pid }, worker: { pid: worker.pid }, ...shared };

    const companies: string[] = [];
    const signupS = await pool(N, CONCURRENCY, async (i) => {
      const created = await call(base, 'POST', '/v1/companies', undefined, {
        company: { name: `Scale ${tag} ${i}`, locale: 'en-US', timezone: 'UTC', currency: 'USD', plan: 'advanced' },
        admin: { name: 'Scale Admin', email: `admin-${i}-${tag}@bench.test` },
      });
      companies[i] = created.company.id;
    });
    const ours = new Set(companies);
    const defs = (await new ReminderDefinitionsRepository(dataSource).allWithPlan()).filter((d) => ours.has(d.companyId) && d.status === 'active');
    if (defs.length !== N * SCHEDULES_PER_COMPANY) throw new Error(`${defs.length} active default definitions, expected ${N * SCHEDULES_PER_COMPANY}`);
    console.log(`product: ${N} sign-ups in ${signupS.toFixed(1)} s (${(N / signupS).toFixed(1)}/s, ${defs.length} schedules)`);

    // Every definition to one minute of UTC: the spec the product's scheduler makes for that time (its options()),
    // written with one schedule update each (sync would also re-read the company and try a create first).
    const scheduler = new ReminderScheduler(client, taskQueue, dataSource, { jitterSeconds: JITTER_S });
    let due = minuteAfter(signupS * 1000 + 15_000);
    for (;;) {
      await db.query(`UPDATE workflow_definitions SET schedule = $2 WHERE company_id = ANY($1::uuid[])`, [companies, { time: hhmm(due) }]);
      const retimeS = await pool(defs.length, CONCURRENCY, async (i) => {
        const { scheduleId, spec } = scheduler.options({ ...defs[i], schedule: { time: hhmm(due) } }, true, { name: '', timezone: 'UTC', plan: 'advanced' });
        await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec }));
      });
      console.log(`product: ${defs.length} schedules moved to ${hhmm(due)} UTC in ${retimeS.toFixed(1)} s`);
      if (Date.now() < due.getTime() - 3000) break;
      due = minuteAfter(retimeS * 1200 + 10_000);
    }

    await sleep(due.getTime() - 2000 - Date.now());
    const c0 = sampleCpu(processes);
    const db0 = await dbCounters(db);
    const runs = () => db.query(
      `SELECT extract(epoch FROM started_at) * 1000 AS started, extract(epoch FROM ended_at) * 1000 AS ended, status
         FROM workflow_runs WHERE company_id = ANY($1::uuid[]) AND trigger = 'schedule'`, [companies]);
    await waitForFirings('every sweep to complete', drainDeadline(due, defs.length), async () =>
      (await runs()).rows.filter((r) => r.status === 'completed').length >= defs.length);
    const c1 = sampleCpu(processes);
    const db1 = await dbCounters(db);
    const mem = memory(processes);
    const rows = (await runs()).rows.filter((r) => r.ended !== null).map((r) => ({ started: Number(r.started), ended: Number(r.ended) }));
    const fired = await executions(client, taskQueue, 'reminderSweep');
    return {
      label: 'product', schedules: defs.length, done: rows.length, createRate: defs.length / signupS,
      firedLag: fired.map((f) => (f.start - due.getTime()) / 1000),
      startLag: rows.map((r) => (r.started - due.getTime()) / 1000),
      rate: rows.length / ((Math.max(...rows.map((r) => r.ended)) - Math.min(...rows.map((r) => r.started))) / 1000),
      cpu: [c0, c1], memory: mem,
      // Less the run-row polls of this bench: one commit each, no row written.
      db: { commits: (db1.commits - db0.commits) / rows.length, rows: (db1.rows - db0.rows) / rows.length },
      history: await historyOf(client, fired[0].id),
    };
  } finally {
    for (const child of started.reverse()) await stopProcess(child);
    await dataSource.destroy();
  }
}

async function baseline(client: Client, shared: Processes, createEstimateS: number): Promise<Firings> {
  const tag = randomUUID().slice(0, 8);
  const taskQueue = `bench-bare-${tag}`;
  const worker = await startProcess('the baseline worker', path.join('dist-bench', 'bench', 'baseline.worker.js'), { BENCH_TASK_QUEUE: taskQueue }, 'polling task queue');
  try {
    const processes: Processes = { worker: { pid: worker.pid }, ...shared };
    const count = N * SCHEDULES_PER_COMPANY;
    // To the second (a raw client may), which spares waiting for the next minute.
    const due = new Date(Math.ceil((Date.now() + createEstimateS * 1000 + 10_000) / 1000) * 1000);
    const createS = await pool(count, CONCURRENCY, async (i) => {
      await client.schedule.create({
        scheduleId: `bench-bare-${tag}-${i}`,
        spec: {
          calendars: [{ hour: due.getUTCHours(), minute: due.getUTCMinutes(), second: due.getUTCSeconds() }], timezone: 'UTC', jitter: JITTER_S * 1000,
        },
        action: { type: 'startWorkflow', workflowType: baselineSweep, workflowId: `bench-bare-sweep-${tag}-${i}`, taskQueue },
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: CATCHUP_WINDOW },
      });
    });
    if (Date.now() > due.getTime() - 3000) throw new Error(`creating ${count} bare schedules took ${createS.toFixed(1)} s, past their due time`);
    console.log(`baseline: ${count} bare schedules due at ${due.toISOString()} created in ${createS.toFixed(1)} s`);
    await sleep(due.getTime() - 2000 - Date.now());
    const c0 = sampleCpu(processes);
    const query = `TaskQueue="${taskQueue}" AND WorkflowType="baselineSweep" AND ExecutionStatus="Completed"`;
    await waitForFirings('every bare firing to complete', drainDeadline(due, count), async () => (await client.workflow.count(query)).count >= count);
    const c1 = sampleCpu(processes);
    const mem = memory(processes);
    const fired = await executions(client, taskQueue, 'baselineSweep');
    return {
      label: 'baseline', schedules: count, done: fired.filter((f) => f.close !== undefined).length, createRate: count / createS,
      firedLag: fired.map((f) => (f.start - due.getTime()) / 1000),
      rate: fired.length / ((Math.max(...fired.map((f) => f.close ?? f.start)) - Math.min(...fired.map((f) => f.start))) / 1000),
      cpu: [c0, c1], memory: mem, history: await historyOf(client, fired[0].id),
    };
  } finally {
    await stopProcess(worker);
  }
}

async function pending(client: Client, shared: Processes): Promise<Array<{ level: number; worker: number; temporal: number }>> {
  const tag = randomUUID().slice(0, 8);
  const taskQueue = `bench-pending-${tag}`;
  // BENCH_WORKER_NODE_OPTIONS (e.g. --max-old-space-size=160) tells garbage the heap has not collected from live state.
  const nodeOptions = process.env.BENCH_WORKER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_WORKER_NODE_OPTIONS } : {};
  const worker = await startProcess('the pending-approvals worker', path.join('dist-bench', 'bench', 'scale.worker.js'),
    { TEMPORAL_TASK_QUEUE: taskQueue, ...nodeOptions }, 'polling task queue');
  try {
    const levels: Array<{ level: number; worker: number; temporal: number }> = [];
    const snapshot = async (level: number) => {
      await sleep(5000);
      levels.push({ level, worker: memoryMb(worker.pid), temporal: memoryMb(shared.temporal.pid) });
    };
    await snapshot(0);
    const companyId = randomUUID();
    const approverId = randomUUID();
    let startedCount = 0;
    for (const level of PENDING) {
      const t0 = performance.now();
      await pool(level - startedCount, CONCURRENCY * 4, async (i) => {
        const invoiceId = randomUUID();
        const input: InvoiceApprovalInput = {
          approvalId: randomUUID(), companyId, invoiceId, invoiceNumber: `P-${startedCount + i}`, submission: 1, creatorId: randomUUID(),
          steps: [{ approverIds: [approverId] }], allowAdmins: false, notifyUserIds: [], push: false,
        };
        await client.workflow.start('invoiceApproval', { taskQueue, workflowId: `bench-pending-${tag}-${startedCount + i}`, args: [input] });
      });
      const query = `TaskQueue="${taskQueue}" AND ApprovalStatus="pending_approval"`;
      await waitFor(`${level} approvals pending`, Date.now() + 300_000, async () => (await client.workflow.count(query)).count >= level);
      console.log(`pending: ${level} approvals waiting (${(level - startedCount) / seconds(t0) | 0}/s started)`);
      startedCount = level;
      await snapshot(level);
    }
    return levels;
  } finally {
    await stopProcess(worker);
  }
}

function cpuLine(f: Firings): string {
  const [c0, c1] = f.cpu;
  const per = Object.keys(c1).map((name) => [name, (c1[name] - c0[name]) / f.done] as const);
  const total = per.reduce((sum, [, ms]) => sum + ms, 0);
  return `${total.toFixed(1)} ms (${per.filter(([, ms]) => ms >= 0.05).map(([name, ms]) => `${name} ${ms.toFixed(1)}`).join(', ')})`;
}

const memLine = (m: Record<string, number>) => Object.entries(m).map(([name, mb]) => `${name} ${mb.toFixed(0)}`).join(', ');

async function main(): Promise<void> {
  const connection = await Connection.connect(temporalOptions());
  const client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
  const db = new PgClient({ connectionString: need('DATABASE_URL') });
  await db.connect();
  const shared: Processes = {
    postgres: { pid: pidListening(portOf(need('DATABASE_URL'))), tree: true },
    temporal: { pid: pidListening(portOf(need('TEMPORAL_ADDRESS'))) },
  };
  console.log(`bench:scale: ${N} companies (${N * SCHEDULES_PER_COMPANY} schedules) due in one minute of UTC, jitter ${JITTER_S} s; ` +
    `pending approvals ${PENDING.join(', ')}\n`);
  try {
    const results: Firings[] = [];
    let createEstimateS = 60;
    if (!SKIP.has('product')) {
      const p = await product(client, db, shared);
      results.push(p);
      createEstimateS = p.schedules / p.createRate;
    }
    if (!SKIP.has('baseline')) results.push(await baseline(client, shared, createEstimateS));
    const levels = SKIP.has('pending') ? [] : await pending(client, shared);

    if (results.length) console.log('\nrun        schedules  completed  created/s  fired lag p50/p99 s  sweep start lag p50/p99 s  firings/s  CPU per firing');
    for (const f of results) {
      const start = f.startLag ? `${pct(f.startLag, 0.5).toFixed(1)} / ${pct(f.startLag, 0.99).toFixed(1)}` : '-';
      console.log(`${f.label.padEnd(10)}${String(f.schedules).padStart(10)}${String(f.done).padStart(11)}${f.createRate.toFixed(1).padStart(11)}` +
        `${`${pct(f.firedLag, 0.5).toFixed(1)} / ${pct(f.firedLag, 0.99).toFixed(1)}`.padStart(21)}${start.padStart(27)}` +
        `${f.rate.toFixed(1).padStart(11)}  ${cpuLine(f)}`);
    }
    for (const f of results) console.log(`memory after the firings, MB (RSS; Postgres PSS): ${f.label}: ${memLine(f.memory)}`);
    for (const f of results) {
      console.log(`per firing, ${f.label}: ${f.history.events} history events, ${f.history.workflowTasks} workflow tasks, ${f.history.activities} activities` +
        (f.db ? `; ${f.db.commits.toFixed(1)} Postgres commits (the bench's polls included), ${f.db.rows.toFixed(1)} rows written` : ''));
    }
    const [p, b] = [results.find((r) => r.label === 'product'), results.find((r) => r.label === 'baseline')];
    if (p) {
      const signups = p.createRate / SCHEDULES_PER_COMPANY;
      console.log(`\nproduct sign-ups: ${signups.toFixed(1)}/s (each a company, its admin, key and default definitions, and ${SCHEDULES_PER_COMPANY} schedules)`);
    }
    if (p && b) {
      const cpu = (f: Firings) => Object.keys(f.cpu[1]).reduce((s, k) => s + f.cpu[1][k] - f.cpu[0][k], 0) / f.done;
      console.log(`ratios product / raw client: schedules created/s ${(p.createRate / b.createRate).toFixed(2)}x, ` +
        `fired lag p99 ${(pct(p.firedLag, 0.99) / pct(b.firedLag, 0.99)).toFixed(2)}x, firings/s ${(p.rate / b.rate).toFixed(2)}x, ` +
        `CPU per firing ${(cpu(p) / cpu(b)).toFixed(2)}x`);
    }
    if (p?.startLag) {
      const p99 = pct(p.startLag, 0.99);
      const met = p.done === p.schedules && p99 <= JITTER_S + SLACK_S;
      console.log(`target: p99 sweep start lag ${p99.toFixed(1)} s <= jitter ${JITTER_S} s + ${SLACK_S} s` +
        `${p.done < p.schedules ? ` (of the ${p.done} of ${p.schedules} done)` : ''}: ${met ? 'met' : 'MISSED'}`);
    }
    if (levels.length) {
      console.log(`\npending approvals (cache ${process.env.WORKER_MAX_CACHED_WORKFLOWS ?? 'default'}):  ` +
        levels.map((l) => `${l.level}: worker ${l.worker.toFixed(0)} MB, temporal ${l.temporal.toFixed(0)} MB`).join('; '));
      const at = (level: number) => levels.find((l) => l.level === level);
      const [l0, first] = [levels[0], levels[1]];
      if (first) console.log(`worker memory per pending approval up to ${first.level}: ${((first.worker - l0.worker) * 1024 / first.level).toFixed(0)} KB`);
      const [five, ten] = [at(5000), at(10000)];
      if (five && ten) {
        const ratio = ten.worker / five.worker;
        console.log(`target: worker RSS at 10k / 5k pending ${ratio.toFixed(3)}x <= 1.10x: ${ratio <= 1.1 ? 'met' : 'MISSED'}` +
          ` (Temporal server ${(ten.temporal / five.temporal).toFixed(2)}x, ${((ten.temporal - five.temporal) * 1024 / 5000).toFixed(0)} KB per approval)`);
      }
    }
  } finally {
    await connection.close();
    await db.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
