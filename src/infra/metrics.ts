import { matchesSecret, secretDigest } from './shared-secret';
import { createServer, get as httpGet, type Server, type ServerResponse } from 'node:http';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { ConfigError } from '../config';
import { DELIVERY_CHANNELS } from '../db/entities';
import { OpsMetricsRepository } from '../db/ops-metrics.repository';

/**
 * An approval counts as near its deadline (relance_approvals_near_deadline) in the last quarter of the time it was
 * given, and at most this long before it: a one-day approval is near for its last 6 h, not from its submission.
 */
export const NEAR_DEADLINE_SECONDS = 24 * 3600;

/** The worker's /metrics port (the Temporal SDK runtime's Prometheus exporter): WORKER_METRICS_PORT, default 9464. */
export function workerMetricsPort(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.WORKER_METRICS_PORT?.trim() || '9464';
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError(`WORKER_METRICS_PORT must be an integer from 1 to 65535, got "${text}"`);
  }
  return port;
}

/**
 * METRICS_TOKEN: when set, GET /metrics of the API and of the worker want `Authorization: Bearer <METRICS_TOKEN>`
 * (401 otherwise); unset, they answer anyone, and must stay off public networks.
 */
export function metricsToken(env: NodeJS.ProcessEnv = process.env): string | null {
  const text = env.METRICS_TOKEN?.trim();
  if (!text) return null;
  if (text.length < 16) throw new ConfigError('METRICS_TOKEN must be at least 16 characters (openssl rand -base64 32 makes one)');
  return text;
}

/** Whether an Authorization header carries the token, compared in constant time. */
export function metricsAuthorized(header: string | string[] | undefined, token: string): boolean {
  // The scheme's name is case-insensitive (RFC 9110); the token is not.
  const given = typeof header === 'string' && header.slice(0, 7).toLowerCase() === 'bearer ' ? header.slice(7) : '';
  return matchesSecret(given, secretDigest(token)) && given !== '';
}

/** The 401 of a scrape without the token. */
export function refuseScrape(res: ServerResponse): void {
  res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer' }).end('metrics need Authorization: Bearer <METRICS_TOKEN>\n');
}

/**
 * The worker's /metrics behind the token: the SDK runtime's exporter listens on a loopback port, and this server on
 * WORKER_METRICS_PORT checks each scrape before it asks the exporter. Unref'd: it never holds the process open.
 */
export function serveMetricsWithToken(options: { port: number; exporterPort: number; token: string }): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    if (!metricsAuthorized(req.headers.authorization, options.token)) {
      refuseScrape(res);
      return;
    }
    const upstream = httpGet({ host: '127.0.0.1', port: options.exporterPort, path: '/metrics', timeout: 10_000 }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, { 'content-type': answer.headers['content-type'] ?? 'text/plain; version=0.0.4' });
      answer.pipe(res);
    });
    upstream.on('timeout', () => upstream.destroy(new Error('the exporter did not answer')));
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('metrics unavailable\n');
      else res.destroy();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '0.0.0.0', () => {
      server.unref();
      resolve(server);
    });
  });
}

export interface ApiMetrics {
  registry: Registry;
  /** Latency of each answered request, by method, route template (`/v1/invoices/:id`, never the raw path) and status. */
  httpDuration: Histogram<'method' | 'route' | 'status'>;
}

/**
 * The API's registry: process metrics, the HTTP histogram and the business gauges, which are read from Postgres when
 * Prometheus scrapes (one query), so every API process reports the same numbers: aggregate them with max(), not sum().
 */
export function createApiMetrics(dataSource: DataSource): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'relance_api_' });
  const httpDuration = new Histogram({
    name: 'relance_http_request_duration_seconds',
    help: 'HTTP requests answered by the API, by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const ops = new OpsMetricsRepository(dataSource);
  let pending: Promise<Awaited<ReturnType<OpsMetricsRepository['counts']>>> | null = null;
  // The gauges share one query per scrape.
  const counts = () => (pending ??= ops.counts(NEAR_DEADLINE_SECONDS).finally(() => setTimeout(() => (pending = null), 0)));
  new Gauge({
    name: 'relance_approvals_pending',
    help: 'Invoice approvals waiting for a decision, by the step they wait on',
    labelNames: ['step'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const { step, count } of (await counts()).approvalsPending) this.set({ step: String(step) }, count);
    },
  });
  new Gauge({
    name: 'relance_approvals_near_deadline',
    help: `Pending approvals in the last quarter of their time (at most ${NEAR_DEADLINE_SECONDS / 3600} h) before their deadline, or past it`,
    registers: [registry],
    async collect() {
      this.set((await counts()).approvalsNearDeadline);
    },
  });
  new Gauge({
    name: 'relance_deliveries_failed',
    help: 'Deliveries (email, push, webhook, task, memo) recorded as failed, by channel',
    labelNames: ['channel'] as const,
    registers: [registry],
    async collect() {
      setPerChannel(this, (await counts()).deliveriesFailed);
    },
  });
  new Gauge({
    name: 'relance_deliveries_in_doubt',
    help: 'At-most-once deliveries an attempt left between sending and recording (never resent), by channel',
    labelNames: ['channel'] as const,
    registers: [registry],
    async collect() {
      setPerChannel(this, (await counts()).deliveriesInDoubt);
    },
  });
  new Gauge({
    name: 'relance_reminder_schedules_overdue',
    help: 'Active daily reminder schedules that started no sweep in 25 h (their Temporal Schedule is not firing)',
    registers: [registry],
    async collect() {
      this.set((await counts()).schedulesOverdue);
    },
  });
  new Gauge({
    name: 'relance_webhook_deliveries_retrying',
    help: 'Webhook deliveries whose receiver failed (non-2xx or no answer in 10 s), waiting for their next attempt',
    registers: [registry],
    async collect() {
      this.set((await counts()).webhookDeliveriesRetrying);
    },
  });
  new Gauge({
    name: 'relance_webhook_oldest_retrying_seconds',
    help: 'Age of the oldest webhook delivery still retrying (0 when none): past 3 days it fails for good',
    registers: [registry],
    async collect() {
      this.set((await counts()).webhookOldestRetryingSeconds);
    },
  });
  return { registry, httpDuration };
}

/**
 * Every channel is exported, at 0 when nothing failed: the alerts compare a channel's value with an hour ago, and a
 * series that appeared only with its first failure would have nothing to compare with.
 */
function setPerChannel(gauge: Gauge<'channel'>, counts: { channel: string; count: number }[]): void {
  gauge.reset();
  for (const channel of DELIVERY_CHANNELS) gauge.set({ channel }, 0);
  for (const { channel, count } of counts) gauge.set({ channel }, count);
}
