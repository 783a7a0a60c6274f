/**
 * Webhook delivery benchmark: `npm run bench:webhooks` (scripts/bench.js provisions Postgres, Temporal and SMTP, builds,
 * migrates, then runs this file). One receiver on 127.0.0.1 in this process, answering 200; side by side in one run:
 *   raw       a loop of signed HTTP POSTs of the same event bodies straight to the receiver, CONCURRENCY in flight;
 *   webhooks  N events recorded in Postgres as the product records them (one statement, `recordWebhookEvents`), for an
 *             endpoint subscribed to them; the worker's dispatcher starts one `webhookDelivery` workflow per delivery,
 *             whose activity signs, POSTs and logs the attempt (real API and worker processes from dist/).
 * Prints events delivered per second of each and their ratio, and the webhooks' p50/p99 from recording to receipt.
 * The raw loop runs before and after, so that a drift of the shared machine shows. Env: BENCH_EVENTS (N, default 400),
 * BENCH_CONCURRENCY (raw loop, default 16).
 */
import type { ChildProcess } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { recordWebhookEvents } from '../src/db/webhooks.repository';
import { webhookEventId } from '../src/domain/webhook-signature';
import { freePort } from '../test/support/net';
import { need } from './env';
import { call, startProcess, stopProcess, waitForApi } from './processes';
import { median } from './stats';

const N = Number(process.env.BENCH_EVENTS ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

/** The receiver: counts what arrives by path, and when each event id first arrived. */
async function startReceiver() {
  const arrived = new Map<string, number>();
  const waiters: Array<{ path: string; count: number; resolve: () => void }> = [];
  const counts = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const id = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string }).id;
      if (!arrived.has(id)) arrived.set(id, performance.now());
      counts.set(path, (counts.get(path) ?? 0) + 1);
      res.writeHead(200).end();
      for (const w of waiters) if (w.path === path && (counts.get(path) ?? 0) >= w.count) w.resolve();
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    server, arrived, port,
    count: (path: string) => counts.get(path) ?? 0,
    waitFor: (path: string, count: number) => new Promise<void>((resolve) => {
      if ((counts.get(path) ?? 0) >= count) return resolve();
      waiters.push({ path, count, resolve });
    }),
  };
}

function eventBody(companyId: string, i: number, tag: string): string {
  return JSON.stringify({
    id: webhookEventId(`bench:${tag}:${i}`), type: 'payment.received', createdAt: new Date().toISOString(), companyId,
    data: { paymentId: randomUUID(), invoiceId: randomUUID(), customerId: randomUUID(), amount: '120.50', receivedAt: new Date().toISOString(), method: null },
  });
}

/** The baseline: signed POSTs of event bodies straight to the receiver, CONCURRENCY in flight, a fresh connection each. */
async function rawLoop(port: number, path: string, companyId: string, tag: string): Promise<number> {
  const secret = 'whsec_bench';
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < N) {
      const body = eventBody(companyId, next++, tag);
      const t = Math.floor(Date.now() / 1000);
      const signature = `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
      await new Promise<void>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path, method: 'POST', agent: false, headers: {
          'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'relance-signature': signature,
        } }, (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`answered ${res.statusCode}`))));
        });
        req.on('error', reject);
        req.end(body);
      });
    }
  }));
  return N / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const tag = randomUUID().slice(0, 8);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const queue = `bench-webhooks-${tag}`;
  const started: ChildProcess[] = [];
  const receiver = await startReceiver();
  const pool = new Pool({ connectionString: need('DATABASE_URL'), max: 4 });
  const env = { TEMPORAL_TASK_QUEUE: queue, RELANCE_WEBHOOK_ALLOW_PRIVATE: 'true', RELANCE_WEBHOOK_DISPATCH_INTERVAL_MS: '50' };
  try {
    const api = await startProcess('the API', 'dist/api/main.js', { ...env, PORT: String(port) }, 'listening');
    started.push(api);
    started.push(await startProcess('the worker', 'dist/worker/main.js', env, 'polling task queue'));
    await waitForApi(base, api);
    const created = await call(base, 'POST', '/v1/companies', undefined, {
      company: { name: `Bench ${tag}`, locale: 'en-US', timezone: 'America/Toronto', currency: 'CAD' },
      admin: { name: 'Bench Admin', email: `admin-${tag}@bench.test` },
    });
    const companyId: string = created.company.id;
    await call(base, 'POST', '/v1/webhook-endpoints', created.apiKey, {
      url: `http://127.0.0.1:${receiver.port}/webhooks`, events: ['payment.received'],
    });
    console.log(`${N} events per run; raw loop ${CONCURRENCY} in flight\n`);

    // Warm-up: JIT, pools, the workflow bundle and Temporal's task queue.
    await rawLoop(receiver.port, '/warm-raw', companyId, `${tag}-warm-raw`);
    const warm = Array.from({ length: 20 }, (_, i) => ({
      id: webhookEventId(`bench:${tag}:warm:${i}`), companyId, type: 'payment.received' as const, data: { i },
    }));
    await recordWebhookEvents(pool, warm);
    await receiver.waitFor('/webhooks', warm.length);

    const rawBefore = await rawLoop(receiver.port, '/raw', companyId, `${tag}-raw-1`);

    const events = Array.from({ length: N }, (_, i) => ({
      id: webhookEventId(`bench:${tag}:${i}`), companyId, type: 'payment.received' as const,
      data: { paymentId: randomUUID(), invoiceId: randomUUID(), amount: '120.50', method: null },
    }));
    const t0 = performance.now();
    await recordWebhookEvents(pool, events);
    await receiver.waitFor('/webhooks', warm.length + N);
    const seconds = (performance.now() - t0) / 1000;
    const webhooks = N / seconds;
    const latencies = events.map((e) => receiver.arrived.get(e.id)! - t0).sort((a, b) => a - b);

    const rawAfter = await rawLoop(receiver.port, '/raw', companyId, `${tag}-raw-2`);
    const raw = (rawBefore + rawAfter) / 2;
    const [{ attempts }] = (await pool.query(
      `SELECT count(*)::int AS attempts FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.company_id = $1`,
      [companyId])).rows as Array<{ attempts: number }>;

    console.log('run                          events/s');
    console.log(`raw POST loop (before)       ${rawBefore.toFixed(0).padStart(8)}`);
    console.log(`webhooks (workflow each)     ${webhooks.toFixed(0).padStart(8)}   ${N} in ${seconds.toFixed(1)} s; ` +
      `recorded → received p50 ${median(latencies).toFixed(0)} ms, p99 ${latencies[Math.floor(latencies.length * 0.99)].toFixed(0)} ms`);
    console.log(`raw POST loop (after)        ${rawAfter.toFixed(0).padStart(8)}`);
    console.log(`\nwebhooks / raw (mean of both raw runs, ${raw.toFixed(0)} events/s): ${(webhooks / raw).toFixed(3)}x; ` +
      `${attempts} attempts logged for ${warm.length + N} events`);
  } finally {
    for (const p of started.reverse()) await stopProcess(p);
    await pool.end();
    receiver.server.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
