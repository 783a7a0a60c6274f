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

/** Database work per approval, from Postgres's own counters (this bench is the only client of its database). */
async function dbCounters(db: PgClient): Promise<{ commits: number; tuples: number }> {
  const [row] = (await db.query(
    `SELECT xact_commit::bigint AS commits, (tup_inserted + tup_updated + tup_deleted)::bigint AS tuples FROM pg_stat_database WHERE datname = current_database()`,
  )).rows;
  return { commits: Number(row.commits), tuples: Number(row.tuples) };
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

    const { creatorKey, approverKey, invoices: all } = await seed(base, (ONLY_BULK ? 0 : N + WARMUP + SERIAL) + BULK_INVOICES);
    const invoices = all.slice(BULK_INVOICES);
    const bulkFigures = await bulkRun(base, creatorKey, approverKey, all.slice(0, BULK_INVOICES), db);
    if (ONLY_BULK) return;
    console.log(`${N} approvals per run (after ${WARMUP} warm-up ones), ${CONCURRENCY} in flight\n`);

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

    await measure('warm-up baseline', WARMUP, baseline(N * 2));
    await measure('warm-up api', WARMUP, viaApi(N));
    await measure('warm-up same work', WARMUP, sameWork(N));
    await measure('warm-up same protocol', WARMUP, sameProtocol(N));
    submitMs.length = 0;
    approveMs.length = 0;

    const portOf = (url: string) => Number(new URL(url.includes('://') ? url : `tcp://${url}`).port);
    const processes = {
      api: { pid: api.pid }, worker: { pid: started[1].pid }, 'baseline worker': { pid: started[2].pid }, 'baseline api': { pid: rawApi.pid },
      bench: { pid: process.pid },
      postgres: { pid: pidListening(portOf(need('DATABASE_URL'))), tree: true }, temporal: { pid: pidListening(portOf(need('TEMPORAL_ADDRESS'))) },
      smtp: { pid: pidListening(portOf(need('SMTP_URL'))) },
    };
    const cpu: Record<string, [CpuSample, CpuSample]> = {};
    const timed = async (name: string, op: (i: number) => Promise<void>) => {
      const c0 = sampleCpu(processes);
      const run = await measure(name, N, op);
      cpu[name] = [c0, sampleCpu(processes)];
      return run;
    };

    const before = await timed('baseline (before)', baseline(0));
    const db0 = await dbCounters(db);
    const threads0 = { api: threadCpu(api.pid), worker: threadCpu(started[1].pid) };
    const viaRest = await timed('api submit + approve', viaApi(0));
    const threads1 = { api: threadCpu(api.pid), worker: threadCpu(started[1].pid) };
    const db1 = await dbCounters(db);
    const withWork = await timed('same work, raw', sameWork(0));
    const db2 = await dbCounters(db);
    const withProtocol = await timed('same protocol, raw', sameProtocol(0));
    const db3 = await dbCounters(db);
    const after = await timed('baseline (after)', baseline(N));
    const inFlight = { submit: median(submitMs), approve: median(approveMs) };
    submitMs.length = 0;
    approveMs.length = 0;
    const serialBaseline = await measure('baseline, one in flight', SERIAL, baseline(N * 2 + WARMUP), 1);
    await measure('api, one in flight', SERIAL, viaApi(N + WARMUP), 1);
    const serial = { submit: median(submitMs), approve: median(approveMs), baseline: median(serialBaseline.latencies) };

    const approvedCount = Number((await db.query(
      `SELECT count(*) AS n FROM invoices WHERE id = ANY($1::uuid[]) AND approval_status = 'approved'`, [invoices.slice(0, N)],
    )).rows[0].n);
    if (approvedCount !== N) throw new Error(`only ${approvedCount} of ${N} invoices ended approved`);

    const sample = client.workflow.getHandle(`invoice-approval-${invoices[0]}-1`);
    const history = await sample.fetchHistory();
    const events = history.events ?? [];
    const count = (type: string) => events.filter((e) => (e as any)[`${type}EventAttributes`]).length;
    const baselineHistory = (await client.workflow.getHandle(`bench-baseline-${tag}-0`).fetchHistory()).events ?? [];

    console.log('run                          approvals/s   p50 ms   p99 ms');
    for (const r of [before, viaRest, withWork, withProtocol, after]) {
      console.log(`${r.name.padEnd(28)}${rate(r).toFixed(1).padStart(12)}${pct(r, 0.5).toFixed(0).padStart(9)}${pct(r, 0.99).toFixed(0).padStart(9)}`);
    }
    console.log(`\napi split: submit p50 ${inFlight.submit.toFixed(0)} ms, approve p50 ${inFlight.approve.toFixed(0)} ms`);
    console.log(`per approval: ${events.length} history events (baseline ${baselineHistory.length}), ` +
      `${count('activityTaskScheduled')} activities, ${count('workflowTaskCompleted')} workflow tasks; ` +
      `${((db1.commits - db0.commits) / N).toFixed(1)} Postgres commits and ${((db1.tuples - db0.tuples) / N).toFixed(1)} rows written ` +
      `(same work, raw: ${((db2.commits - db1.commits) / N).toFixed(1)} commits; same protocol, raw: ${((db3.commits - db2.commits) / N).toFixed(1)})`);
    const protocolHistory = (await client.workflow.getHandle(`bench-protocol-${tag}-0`).fetchHistory()).events ?? [];
    const protocolCount = (type: string) => protocolHistory.filter((e) => (e as any)[`${type}EventAttributes`]).length;
    console.log(`same protocol, raw: ${protocolHistory.length} history events, ${protocolCount('activityTaskScheduled')} activities, ` +
      `${protocolCount('workflowTaskCompleted')} workflow tasks`);

    for (const [name, [c0, c1]] of Object.entries(cpu)) console.log(`${name}: ${cpuPerOp(c0, c1, N)}`);
    // BENCH_THREADS=1: where the API's and the worker's CPU goes, thread by thread (main, workflow, Temporal core, V8, libuv).
    if (process.env.BENCH_THREADS) {
      for (const proc of ['api', 'worker'] as const) {
        const per = Object.entries(threads1[proc]).map(([t, ms]) => [t, (ms - (threads0[proc][t] ?? 0)) / N] as const).filter(([, ms]) => ms >= 0.05);
        console.log(`${proc} threads, ms CPU per approval: ${per.sort((a, b) => b[1] - a[1]).map(([t, ms]) => `${t} ${ms.toFixed(1)}`).join(', ')}`);
      }
    }

    const baselineRate = (rate(before) + rate(after)) / 2;
    const ratio = rate(viaRest) / baselineRate;
    const vsSameWork = rate(viaRest) / rate(withWork);
    const vsProtocol = rate(viaRest) / rate(withProtocol);
    const waited = serial.approve / serial.baseline;
    console.log(`\nratio api / baseline (mean of before and after): ${ratio.toFixed(2)}x; same work, raw / baseline ${(rate(withWork) / baselineRate).toFixed(2)}x`);
    console.log(`${CONCURRENCY} in flight, api / same work, raw: ${vsSameWork.toFixed(2)}x ` +
      `(target >= 0.8x, goal 0.9x): ${vsSameWork >= 0.9 ? 'goal met' : vsSameWork >= 0.8 ? 'met' : 'MISSED'}; api / same protocol, raw: ${vsProtocol.toFixed(2)}x`);
    console.log(`one in flight (${SERIAL}), approve p50 ${serial.approve.toFixed(0)} ms (submit ${serial.submit.toFixed(0)} ms) vs baseline round trip ` +
      `p50 ${serial.baseline.toFixed(0)} ms: ${waited.toFixed(2)}x (target <= 2x, goal 1.5x): ${waited <= 1.5 ? 'goal met' : waited <= 2 ? 'met' : 'MISSED'}`);
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
