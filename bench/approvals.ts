/**
 * Approval benchmark: `npm run bench:approvals` (scripts/bench.js provisions Postgres, Temporal and SMTP, builds,
 * migrates, then runs this file). Side by side in one run, at the same concurrency, on the same Temporal server:
 *   baseline  the raw Temporal client starts a minimal signal-waiting workflow (bench/baseline.workflows.ts, served by a
 *             worker process of its own), signals `approve` and waits for its result;
 *   api       through the REST API (real API and worker processes from dist/): POST /v1/invoices/:id/submit-for-approval,
 *             then POST /v1/invoices/:id/approve as the approver, which answers once the invoice is `approved`
 *             (tasks opened and closed, approver and creator emailed through SMTP, run history recorded).
 *   same work the raw client and the same baseline worker, with the approval's durable work done the plainest way: as
 *             many Postgres statements as the API and the worker run per approval, two local activities, two emails
 *             through the same SMTP listener (bench/baseline.activities.ts): the plainest design, a floor, and the
 *             target's reference.
 *   same protocol  the same work under the product's contract, written with nothing but node:http, `pg` and the SDK
 *             (bench/baseline.api.ts, baselineApprovalProtocol): an HTTP tier of its own that starts the run and sends
 *             the decision as an Update answered once it is durable, the emails in activities nobody waits for, the
 *             status as a search attribute. What is left between it and the API is the product's own code (Nest,
 *             TypeORM, the outbox, the approver rules); the floor's gap less this one is the contract's cost.
 * The baseline runs before and after the API so that a drift of the shared machine shows. Then, one in flight, the
 * baseline round trip and the API's submit + approve again, for what an approver waits.
 * Targets: at one in flight approve p50 ≤ 2× the baseline round trip (goal 1.5×); in flight, the API ≥ 0.8× the same
 * work (goal 0.9×); the same protocol is reported beside it.
 * Bulk: BENCH_BULK (default 100) submitted invoices decided in ONE POST /v1/approvals/bulk, against as many decided one by
 * one through POST /v1/invoices/:id/approve at BENCH_CONCURRENCY in flight, in the same run (target: bulk ≥ 0.8× one by
 * one). BENCH_ONLY=bulk runs only that part.
 * Env: BENCH_APPROVALS (N, default 200), BENCH_CONCURRENCY (default 16), BENCH_SERIAL (default 40).
 */
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client as PgClient, Pool } from 'pg';
import { APPROVAL_WORK, BENCH_WORK_INDEX, BENCH_WORK_TABLE, benchRead, benchWork } from './baseline.activities';
import { baselineApproval, baselineApprovalWithWork, baselineDecisionSignal } from './baseline.workflows';
import { CpuSample, cpuPerOp, pidListening, sampleCpu, threadCpu } from './cpu';
import { freePort } from '../test/support/net';
import { call, startProcess, stopProcess, waitForApi } from './processes';
import { need, temporalOptions } from './env';
import { median } from './stats';

const N = Number(process.env.BENCH_APPROVALS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const WARMUP = CONCURRENCY * 2;
const SERIAL = Number(process.env.BENCH_SERIAL ?? 40);
/** Single runs swing ±25 % on a shared 2-core machine: each side runs this many times, alternating, and medians are kept. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BULK = Number(process.env.BENCH_BULK ?? 100);
const ONLY_BULK = process.env.BENCH_ONLY === 'bulk';
/** Invoices of the bulk part: a warm-up call of CONCURRENCY items, then BULK one by one and BULK in one call. */
const BULK_INVOICES = CONCURRENCY + 2 * BULK;

/* eslint-disable @typescript-eslint/no-explicit-any */




interface Run {
  name: string;
  count: number;
  seconds: number;
  latencies: number[];
}

/** Runs `op(i)` for i < count with `concurrency` in flight; every op must succeed. */
async function measure(name: string, count: number, op: (i: number) => Promise<void>, concurrency = CONCURRENCY): Promise<Run> {
  const latencies: number[] = [];
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) {
      const i = next++;
      const t0 = process.hrtime.bigint();
      await op(i);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }));
  return { name, count, seconds: Number(process.hrtime.bigint() - started) / 1e9, latencies: latencies.sort((a, b) => a - b) };
}

const rate = (r: Run) => r.count / r.seconds;
const pct = (r: Run, p: number) => r.latencies[Math.min(r.latencies.length - 1, Math.floor(r.latencies.length * p))];

async function seed(base: string, count: number) {
  const tag = randomUUID().slice(0, 8);
  const created = await call(base, 'POST', '/v1/companies', undefined, {
    company: { name: `Bench Approvals ${tag}`, locale: 'en-US', timezone: 'America/Toronto', currency: 'USD', plan: 'advanced' },
    admin: { name: 'Bench Admin', email: `admin-${tag}@bench.test` },
  });
  const admin = created.apiKey as string;
  const user = async (name: string) => {
    const created = (await call(base, 'POST', '/v1/users', admin, { name, email: `${name.toLowerCase()}-${tag}@bench.test`, role: 'standard' })) as { user: { id: string } };
    const key = (await call(base, 'POST', `/v1/users/${created.user.id}/api-keys`, admin)) as { apiKey: string };
    return { user: created.user, apiKey: key.apiKey };
  };
  const creator = await user('Creator');
  const approver = await user('Approver');
  const customer = await call(base, 'POST', '/v1/customers', admin, { name: 'Bench Customer', email: `customer-${tag}@bench.test` });
  await call(base, 'POST', '/v1/workflows', admin, {
    templateKey: 'invoice-approval', name: 'Large invoices', conditions: [{ field: 'amount', op: 'gt', value: '1000.00' }],
    actions: [{ type: 'approval', approverIds: [approver.user.id], timeoutDays: 30 }], activate: true,
  });
  const invoices: string[] = [];
  await measure('seed', count, async (i) => {
    const invoice = await call(base, 'POST', '/v1/invoices', creator.apiKey, {
      number: `BA-${i}`, customerId: customer.id, amount: '1250.00', issueDate: '2026-12-01', dueDate: '2026-12-31',
    });
    if (invoice.approvalStatus !== 'approval_required') throw new Error(`invoice ${invoice.number} is ${invoice.approvalStatus}, not approval_required`);
    invoices[i] = invoice.id;
  });
  return { companyId: created.company.id as string, creatorKey: creator.apiKey, approverKey: approver.apiKey, invoices };
}

interface RoundFigures {
  rate: Record<string, number>;
  p50: Record<string, number>;
  /** CPU ms per approval of every process the bench watches, and its split by process. */
  cpu: Record<string, number>;
  cpuSplit: Record<string, string>;
  commits: Record<string, number>;
  /** Rows inserted, updated or deleted per approval. */
  tuples: Record<string, number>;
  /** Write-ahead log bytes per approval (every row version, index entry and row lock Postgres writes). */
  wal: Record<string, number>;
  inFlight: { submit: number; approve: number };
  serial: { submit: number; approve: number; baseline: number };
}

function cpuTotal(before: CpuSample, after: CpuSample, ops: number): number {
  return Object.keys(after).reduce((sum, name) => sum + (after[name] - before[name]), 0) / ops;
}

function roundLine(round: number, f: RoundFigures): string {
  const sides = Object.keys(f.rate);
  return `round ${round}: ${sides.map((s) => `${s} ${f.rate[s].toFixed(1)}/s (p50 ${f.p50[s].toFixed(0)} ms, ${f.cpu[s].toFixed(1)} ms CPU)`).join('; ')}; ` +
    `one in flight: approve p50 ${f.serial.approve.toFixed(0)} ms, round trip ${f.serial.baseline.toFixed(0)} ms`;
}

/**
 * Statements per approval as Postgres counts them (pg_stat_statements, loaded when BENCH_PG_STATEMENTS is set):
 * calls and execution time by statement text, reset before each side so that each side's count is its own.
 */
class PgStatements {
  private scans = new Map<string, number>();

  private constructor(private readonly db: PgClient) {}

  /** Sequential scans and the rows they read, by table: a hot statement no index serves shows here. */
  private async seqScans(): Promise<Map<string, number>> {
    const { rows } = await this.db.query('SELECT relname, seq_scan::bigint AS scans, seq_tup_read::bigint AS rows FROM pg_stat_user_tables');
    return new Map(rows.flatMap((r) => [[`${r.relname} scans`, Number(r.scans)], [`${r.relname} rows`, Number(r.rows)]]));
  }

  static async open(db: PgClient): Promise<PgStatements> {
    await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    return new PgStatements(db);
  }

  async reset(): Promise<void> {
    await this.db.query('SELECT pg_stat_statements_reset()');
    this.scans = await this.seqScans();
  }

  async report(ops: number, top = 20): Promise<string> {
    const { rows } = await this.db.query(
      `SELECT calls::bigint AS calls, total_exec_time AS ms, rows::bigint AS rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 140) AS query
         FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND query NOT LIKE '%pg_stat_%' ORDER BY total_exec_time DESC`);
    const calls = rows.reduce((sum, r) => sum + Number(r.calls), 0);
    const ms = rows.reduce((sum, r) => sum + Number(r.ms), 0);
    const lines = rows.slice(0, top).map((r) => `    ${(Number(r.calls) / ops).toFixed(2).padStart(6)} calls ${(Number(r.ms) / ops).toFixed(3).padStart(7)} ms  ${r.query}`);
    // The statistics reach the shared counters within a second of each transaction.
    await new Promise((r) => setTimeout(r, 1500));
    const scans = [...(await this.seqScans())].map(([k, n]) => [k, n - (this.scans.get(k) ?? 0)] as const);
    const scanned = scans.filter(([k, n]) => k.endsWith(' scans') && n > 0)
      .map(([k, n]) => `${k.replace(/ scans$/, '')} ${(n / ops).toFixed(2)} (${(scans.find(([r]) => r === k.replace(/scans$/, 'rows'))![1] / ops).toFixed(0)} rows)`);
    return `  ${(calls / ops).toFixed(1)} statements, ${(ms / ops).toFixed(2)} ms executing, per approval; by time:\n${lines.join('\n')}\n` +
      `  sequential scans per approval (rows read): ${scanned.join(', ') || 'none'}`;
  }
}

/**
 * The write-ahead log of one side by record type (pg_walinspect, BENCH_WAL=1): what the bytes of "WAL per approval"
 * are (row versions, index entries, row locks, multixacts, full-page images), between two positions of the log.
 */
class WalByRecord {
  private constructor(private readonly db: PgClient) {}

  static async open(db: PgClient): Promise<WalByRecord> {
    await db.query('CREATE EXTENSION IF NOT EXISTS pg_walinspect');
    return new WalByRecord(db);
  }

  /** The records between two positions of the log (`dbCounters`' `lsn` before and after a side). */
  async report(from: string, to: string, ops: number, top = 14): Promise<string> {
    if (lsnBytes(from, to) <= 0) return '    none';
    // Up to what is flushed: pg_walinspect reads records from the files.
    const { rows } = await this.db.query(
      `SELECT "resource_manager/record_type" AS kind, count::bigint AS n, combined_size::bigint AS bytes, fpi_size::bigint AS fpi
         FROM pg_get_wal_stats($1::pg_lsn, least($2::pg_lsn, pg_current_wal_flush_lsn()), true) WHERE count > 0
        ORDER BY combined_size DESC LIMIT $3`, [from, to, top]).catch((err: Error) => ({ rows: [{ kind: `(not read: ${err.message})`, n: 0, bytes: 0, fpi: 0 }] }));
    return rows.map((r) => `    ${(Number(r.n) / ops).toFixed(2).padStart(6)} records ${(Number(r.bytes) / ops).toFixed(0).padStart(6)} bytes ` +
      `(${(Number(r.fpi) / ops).toFixed(0).padStart(5)} of full pages)  ${r.kind}`).join('\n');
  }
}

/** Bytes of write-ahead log between two positions (`X/Y` texts). */
function lsnBytes(from: string, to: string): number {
  const at = (lsn: string) => lsn.split('/').reduce((n, part) => n * 2n ** 32n + BigInt(`0x${part}`), 0n);
  return Number(at(to) - at(from));
}

/** Database work per approval, from Postgres's own counters (this bench is the only client of its database). */
async function dbCounters(db: PgClient): Promise<{ commits: number; tuples: number; lsn: string }> {
  // The log's insert position is exact at once (the statistics views lag up to a second behind each backend).
  const [row] = (await db.query(
    `SELECT xact_commit::bigint AS commits, (tup_inserted + tup_updated + tup_deleted)::bigint AS tuples, pg_current_wal_insert_lsn()::text AS lsn
       FROM pg_stat_database WHERE datname = current_database()`,
  )).rows;
  return { commits: Number(row.commits), tuples: Number(row.tuples), lsn: row.lsn };
}

async function main(): Promise<void> {
  const tag = randomUUID().slice(0, 8);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const appQueue = `bench-approvals-${tag}`;
  const baselineQueue = `bench-baseline-${tag}`;
  const rawPort = await freePort();
  const rawBase = `http://127.0.0.1:${rawPort}`;
  const started: ChildProcess[] = [];
  const connection = await Connection.connect(temporalOptions());
  const client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
  const db = new PgClient({ connectionString: need('DATABASE_URL') });
  await db.connect();
  await db.query(BENCH_WORK_TABLE);
  await db.query(BENCH_WORK_INDEX);
  const pool = new Pool({ connectionString: need('DATABASE_URL'), max: 10 });
  try {
    // The approver decides every invoice of the run within a few minutes: far past the default allowance of decisions.
    const api = await startProcess('the API', 'dist/api/main.js', { PORT: String(port), TEMPORAL_TASK_QUEUE: appQueue, RELANCE_DECISION_RATE: '1000000' }, 'listening');
    started.push(api);
    started.push(await startProcess('the worker', 'dist/worker/main.js', { TEMPORAL_TASK_QUEUE: appQueue }, 'polling task queue'));
    started.push(await startProcess('the baseline worker', path.join('dist-bench', 'bench', 'baseline.worker.js'), { BENCH_TASK_QUEUE: baselineQueue }, 'polling task queue'));
    const rawApi = await startProcess('the baseline API', path.join('dist-bench', 'bench', 'baseline.api.js'),
      { BENCH_TASK_QUEUE: baselineQueue, BENCH_PORT: String(rawPort) }, 'listening');
    started.push(rawApi);
    await waitForApi(base, api);

    const { creatorKey, approverKey, invoices: all } = await seed(base, (ONLY_BULK ? 0 : ROUNDS * (N + SERIAL) + WARMUP) + BULK_INVOICES);
    const invoices = all.slice(BULK_INVOICES);
    const bulkFigures = await bulkRun(base, creatorKey, approverKey, all.slice(0, BULK_INVOICES), db);
    if (ONLY_BULK) return;
    console.log(`${ROUNDS} rounds of ${N} approvals per side (after ${WARMUP} warm-up ones), ${CONCURRENCY} in flight, then ${SERIAL} one at a time\n`);

    const baseline = (offset: number) => async (i: number) => {
      const handle = await client.workflow.start(baselineApproval, { taskQueue: baselineQueue, workflowId: `bench-baseline-${tag}-${offset + i}` });
      await handle.signal(baselineDecisionSignal, { userId: 'approver' });
      await handle.result();
    };
    const sameWork = (offset: number) => async (i: number) => {
      const id = `bench-work-${tag}-${offset + i}`;
      await benchWork(pool, id, 'submit', APPROVAL_WORK.submit);
      const handle = await client.workflow.start(baselineApprovalWithWork, { taskQueue: baselineQueue, workflowId: id, args: [id] });
      for (let r = 0; r < APPROVAL_WORK.answers - 1; r++) await benchRead(pool, id);
      await handle.signal(baselineDecisionSignal, { userId: 'approver' });
      await handle.result();
      await benchRead(pool, id);
    };
    const sameProtocol = (offset: number) => async (i: number) => {
      const id = `bench-protocol-${tag}-${offset + i}`;
      const submitted = await call(rawBase, 'POST', `/submit/${id}`);
      const approved = await call(rawBase, 'POST', `/approve/${id}`, undefined, { userId: 'approver' });
      if (submitted.status !== 'pending_approval' || approved.status !== 'approved') throw new Error(`${id}: ${submitted.status}, then ${approved.status}`);
    };
    const submitMs: number[] = [];
    const approveMs: number[] = [];
    const viaApi = (offset: number) => async (i: number) => {
      const id = invoices[offset + i];
      const t0 = performance.now();
      const submitted = await call(base, 'POST', `/v1/invoices/${id}/submit-for-approval`, creatorKey);
      const t1 = performance.now();
      const approved = await call(base, 'POST', `/v1/invoices/${id}/approve`, approverKey, {});
      submitMs.push(t1 - t0);
      approveMs.push(performance.now() - t1);
      if (submitted.status !== 'pending_approval' || approved.status !== 'approved') {
        throw new Error(`invoice ${id}: submit answered ${submitted.status}, approve answered ${approved.status}`);
      }
    };

    await measure('warm-up baseline', WARMUP, baseline(ROUNDS * N + ROUNDS * SERIAL));
    await measure('warm-up api', WARMUP, viaApi(ROUNDS * N + ROUNDS * SERIAL));
    await measure('warm-up same work', WARMUP, sameWork(ROUNDS * N));
    await measure('warm-up same protocol', WARMUP, sameProtocol(ROUNDS * N));
    submitMs.length = 0;
    approveMs.length = 0;

    const portOf = (url: string) => Number(new URL(url.includes('://') ? url : `tcp://${url}`).port);
    const processes = {
      api: { pid: api.pid }, worker: { pid: started[1].pid }, 'baseline worker': { pid: started[2].pid }, 'baseline api': { pid: rawApi.pid },
      bench: { pid: process.pid },
      postgres: { pid: pidListening(portOf(need('DATABASE_URL'))), tree: true }, temporal: { pid: pidListening(portOf(need('TEMPORAL_ADDRESS'))) },
      smtp: { pid: pidListening(portOf(need('SMTP_URL'))) },
    };
    const statements = process.env.BENCH_PG_STATEMENTS ? await PgStatements.open(db) : undefined;
    const walByRecord = process.env.BENCH_WAL ? await WalByRecord.open(db) : undefined;

    // Each round runs every side once, N approvals at CONCURRENCY in flight; the order reverses every round, so that
    // the api and the same protocol take turns going first, then the same at one in flight.
    const sides = ['api', 'same protocol', 'same work', 'baseline'] as const;
    type Side = (typeof sides)[number];
    const ops: Record<Side, (offset: number) => (i: number) => Promise<void>> = {
      api: viaApi, 'same protocol': sameProtocol, 'same work': sameWork, baseline,
    };
    const until = async (what: string, done: () => Promise<boolean>) => {
      for (const started = Date.now(); !(await done()); await new Promise((r) => setTimeout(r, 100))) {
        if (Date.now() - started > 120_000) throw new Error(`${what} not done after 120 s`);
      }
    };
    const counted = async (sql: string, ids: string[]) => Number((await db.query(sql, [ids])).rows[0].n) === ids.length;
    const tails: Partial<Record<Side, (offset: number) => Promise<void>>> = {
      api: (offset) => until('the api side\'s outcome notices', () => counted(
        `SELECT count(*) AS n FROM workflow_runs WHERE temporal_workflow_id = ANY($1::text[]) AND status = 'completed'`,
        invoices.slice(offset, offset + N).map((id) => `invoice-approval-${id}-1`))),
      'same protocol': (offset) => until('the same protocol\'s outcome emails', () => counted(
        `SELECT count(DISTINCT approval_id) AS n FROM bench_work WHERE approval_id = ANY($1::text[]) AND step = 'email-outcome-1'`,
        Array.from({ length: N }, (_, i) => `bench-protocol-${tag}-${offset + i}`))),
    };
    const rounds: RoundFigures[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      const figures = { rate: {}, cpu: {}, cpuSplit: {}, commits: {}, tuples: {}, wal: {}, p50: {} } as RoundFigures;
      for (const side of order) {
        const c0 = sampleCpu(processes);
        const d0 = await dbCounters(db);
        await statements?.reset();
        const threads0 = { api: threadCpu(api.pid), worker: threadCpu(started[1].pid) };
        const from = process.hrtime.bigint() / 1000n;
        const run = await measure(`${side}, round ${round + 1}`, N, ops[side](round * N));
        // The notices nobody waits for are this side's work too: its CPU is read once they are done, before the next side.
        await tails[side]?.(round * N);
        const c1 = sampleCpu(processes);
        const d1 = await dbCounters(db);
        // The side's span on the monotonic clock (µs) that V8's CPU profiles use, to read a profile for that span alone.
        if (process.env.BENCH_CPU_PROF) console.log(`profile window, ${side}, round ${round + 1}: ${from}-${process.hrtime.bigint() / 1000n}`);
        figures.rate[side] = rate(run);
        figures.p50[side] = pct(run, 0.5);
        figures.cpu[side] = cpuTotal(c0, c1, N);
        figures.cpuSplit[side] = cpuPerOp(c0, c1, N);
        figures.commits[side] = (d1.commits - d0.commits) / N;
        figures.tuples[side] = (d1.tuples - d0.tuples) / N;
        figures.wal[side] = lsnBytes(d0.lsn, d1.lsn) / N;
        if (statements && round === 0) console.log(`${side}, Postgres statements per approval:\n${await statements.report(N)}`);
        if (walByRecord && round === 0) console.log(`${side}, write-ahead log per approval by record type:\n${await walByRecord.report(d0.lsn, d1.lsn, N)}`);
        // BENCH_THREADS=1: where the API's and the worker's CPU goes, thread by thread (main, workflow, Temporal core, V8, libuv).
        if (process.env.BENCH_THREADS && side === 'api' && round === 0) {
          for (const proc of ['api', 'worker'] as const) {
            const now = threadCpu(proc === 'api' ? api.pid : started[1].pid);
            const per = Object.entries(now).map(([t, ms]) => [t, (ms - (threads0[proc][t] ?? 0)) / N] as const).filter(([, ms]) => ms >= 0.05);
            console.log(`${proc} threads, ms CPU per approval: ${per.sort((a, b) => b[1] - a[1]).map(([t, ms]) => `${t} ${ms.toFixed(1)}`).join(', ')}`);
          }
        }
      }
      figures.inFlight = { submit: median(submitMs), approve: median(approveMs) };
      submitMs.length = 0;
      approveMs.length = 0;
      const serialOffset = ROUNDS * N + round * SERIAL;
      const serialPair = async (which: 'baseline' | 'api') => which === 'baseline'
        ? median((await measure('baseline, one in flight', SERIAL, baseline(serialOffset), 1)).latencies)
        : (await measure('api, one in flight', SERIAL, viaApi(serialOffset), 1), median(approveMs));
      const serialOrder = round % 2 === 0 ? (['baseline', 'api'] as const) : (['api', 'baseline'] as const);
      const serial: Record<string, number> = {};
      for (const which of serialOrder) serial[which] = await serialPair(which);
      figures.serial = { approve: serial.api, submit: median(submitMs), baseline: serial.baseline };
      submitMs.length = 0;
      approveMs.length = 0;
      rounds.push(figures);
      console.log(roundLine(round + 1, figures));
    }

    const approvedCount = Number((await db.query(
      `SELECT count(*) AS n FROM invoices WHERE id = ANY($1::uuid[]) AND approval_status = 'approved'`, [invoices.slice(0, ROUNDS * N)],
    )).rows[0].n);
    if (approvedCount !== ROUNDS * N) throw new Error(`only ${approvedCount} of ${ROUNDS * N} invoices ended approved`);

    // Histories of SAMPLED runs of each side, from the last round (how a run unfolds depends on when its decision comes).
    const SAMPLED = 20;
    const last = (ROUNDS - 1) * N;
    const histories = async (ids: string[]) => Promise.all(ids.map(async (id) => (await client.workflow.getHandle(id).fetchHistory()).events ?? []));
    const apiHistories = await histories(invoices.slice(last, last + SAMPLED).map((id) => `invoice-approval-${id}-1`));
    const protocolHistories = await histories(Array.from({ length: SAMPLED }, (_, i) => `bench-protocol-${tag}-${last + i}`));
    const events = apiHistories[0];
    const protocolHistory = protocolHistories[0];
    const count = (list: typeof events, type: string) => list.filter((e) => (e as any)[`${type}EventAttributes`]).length;
    const bytes = (list: typeof events) => temporal.api.history.v1.History.encode({ events: list }).finish().length;
    const mean = (all: (typeof events)[], f: (list: typeof events) => number) => (all.reduce((sum, list) => sum + f(list), 0) / all.length).toFixed(1);
    const shape = (all: (typeof events)[]) => `${mean(all, (l) => l.length)} history events (${mean(all, bytes)} bytes), ` +
      `${mean(all, (l) => count(l, 'activityTaskScheduled'))} activities, ${mean(all, (l) => count(l, 'workflowTaskCompleted'))} workflow tasks`;
    console.log(`\nper approval, mean of ${SAMPLED} runs of the last round: api ${shape(apiHistories)}; same protocol ${shape(protocolHistories)}`);
    // The events in order, for what each side's run asks of the server (BENCH_EVENTS=1).
    if (process.env.BENCH_EVENTS) {
      const types = (list: typeof events) => list.map((e) => Object.keys(e).find((k) => k.endsWith('EventAttributes'))?.replace(/EventAttributes$/, '')).join(' ');
      console.log(`api events: ${types(events)}\nsame protocol events: ${types(protocolHistory)}`);
    }
    for (const side of sides) console.log(`CPU, last round, ${side}: ${rounds[rounds.length - 1].cpuSplit[side]}`);

    const med = (f: (r: RoundFigures) => number) => median(rounds.map(f));
    const list = (f: (r: RoundFigures) => number, digits = 2) => rounds.map((r) => f(r).toFixed(digits)).join(', ');
    const vsProtocol = (r: RoundFigures) => r.rate.api / r.rate['same protocol'];
    const vsWork = (r: RoundFigures) => r.rate.api / r.rate['same work'];
    const cpuVsProtocol = (r: RoundFigures) => r.cpu.api / r.cpu['same protocol'];
    const waited = (r: RoundFigures) => r.serial.approve / r.serial.baseline;
    const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
    console.log(`\nmedians of ${ROUNDS} alternating rounds (each round's figure in brackets):`);
    console.log(`  approvals/s at ${CONCURRENCY} in flight: ${sides.map((s) => `${s} ${med((r) => r.rate[s]).toFixed(1)}`).join(', ')}`);
    console.log(`  CPU ms per approval: ${sides.map((s) => `${s} ${med((r) => r.cpu[s]).toFixed(1)}`).join(', ')}`);
    console.log(`  Postgres commits per approval: ${sides.map((s) => `${s} ${med((r) => r.commits[s]).toFixed(1)}`).join(', ')}`);
    console.log(`  Postgres rows written per approval: ${sides.map((s) => `${s} ${med((r) => r.tuples[s]).toFixed(1)}`).join(', ')}`);
    console.log(`  Postgres WAL bytes per approval: ${sides.map((s) => `${s} ${med((r) => r.wal[s]).toFixed(0)}`).join(', ')}`);
    console.log(`  api split at ${CONCURRENCY} in flight: submit p50 ${med((r) => r.inFlight.submit).toFixed(0)} ms, approve p50 ${med((r) => r.inFlight.approve).toFixed(0)} ms`);
    console.log(`  api / same protocol: ${med(vsProtocol).toFixed(2)}x [${list(vsProtocol)}] (target >= 0.9x): ${verdict(med(vsProtocol) >= 0.9)}`);
    console.log(`  CPU per approval, api / same protocol: ${med(cpuVsProtocol).toFixed(2)}x [${list(cpuVsProtocol)}] (target <= 1.1x): ${verdict(med(cpuVsProtocol) <= 1.1)}`);
    console.log(`  api / same work: ${med(vsWork).toFixed(2)}x [${list(vsWork)}] (target >= 0.8x): ${verdict(med(vsWork) >= 0.8)}`);
    console.log(`  one in flight, approve p50 / baseline round trip: ${med(waited).toFixed(2)}x [${list(waited)}] ` +
      `(approve p50 ${med((r) => r.serial.approve).toFixed(0)} ms, submit ${med((r) => r.serial.submit).toFixed(0)} ms, round trip ${med((r) => r.serial.baseline).toFixed(0)} ms; ` +
      `target <= 1.5x): ${verdict(med(waited) <= 1.5)}`);
    console.log(bulkFigures);
  } finally {
    for (const child of started.reverse()) await stopProcess(child);
    await connection.close();
    await db.end();
    await pool.end();
  }
}

/**
 * Submits every invoice (untimed), then decides CONCURRENCY of them in a warm-up bulk call, BULK one by one at
 * CONCURRENCY in flight and BULK in one bulk call; prints both rates and answers the summary line.
 */
async function bulkRun(base: string, creatorKey: string, approverKey: string, invoices: string[], db: PgClient): Promise<string> {
  // Each side starts once the runs decided before it have sent their outcome notices, so neither pays for the other's tail.
  const settled = async (ids: string[]) => {
    for (let tries = 0; ; tries++) {
      const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM workflow_runs WHERE temporal_workflow_id = ANY($1::text[]) AND status = 'completed'`,
        [ids.map((id) => `invoice-approval-${id}-1`)])).rows as { n: number }[];
      if (n === ids.length) return;
      if (tries > 600) throw new Error(`only ${n} of ${ids.length} approval runs completed`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  await measure('bulk submit', invoices.length, async (i) => {
    const submitted = await call(base, 'POST', `/v1/invoices/${invoices[i]}/submit-for-approval`, creatorKey);
    if (submitted.status !== 'pending_approval') throw new Error(`invoice ${invoices[i]}: submit answered ${submitted.status}`);
  });
  const bulkCall = async (ids: string[]) => {
    const answer = await call(base, 'POST', '/v1/approvals/bulk', approverKey, { decision: 'approve', items: ids.map((id) => ({ kind: 'invoice', id })) });
    const approved = (answer.results as { outcome: string; approval?: { status: string } }[]).filter((r) => r.approval?.status === 'approved').length;
    if (answer.decided !== ids.length || approved !== ids.length) throw new Error(`bulk call: ${answer.decided} of ${ids.length} decided, ${approved} approved`);
  };
  await bulkCall(invoices.slice(0, CONCURRENCY));
  await settled(invoices.slice(0, CONCURRENCY));
  const singles = invoices.slice(CONCURRENCY, CONCURRENCY + BULK);
  const oneByOne = await measure(`${BULK} approves one by one`, BULK, async (i) => {
    const approved = await call(base, 'POST', `/v1/invoices/${singles[i]}/approve`, approverKey, {});
    if (approved.status !== 'approved') throw new Error(`invoice ${singles[i]}: approve answered ${approved.status}`);
  });
  await settled(singles);
  const bulk = await measure(`${BULK} approves in one bulk call`, 1, () => bulkCall(invoices.slice(CONCURRENCY + BULK)));
  const bulkRate = BULK / bulk.seconds;
  const ratio = bulkRate / rate(oneByOne);
  const summary = `bulk: ${BULK} approvals in one call ${bulkRate.toFixed(1)} approvals/s (${(bulk.seconds * 1000).toFixed(0)} ms) vs one by one at ` +
    `${CONCURRENCY} in flight ${rate(oneByOne).toFixed(1)} approvals/s (p50 ${pct(oneByOne, 0.5).toFixed(0)} ms): ${ratio.toFixed(2)}x (target >= 0.8x): ` +
    `${ratio >= 0.8 ? 'met' : 'MISSED'}`;
  console.log(summary);
  return summary;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
