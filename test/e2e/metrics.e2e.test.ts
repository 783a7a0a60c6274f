// eslint-disable-next-line @typescript-eslint/no-require-imports
const parsePrometheus = require('parse-prometheus-text-format') as (text: string) => Family[];
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { approvalCompany, createLargeInvoice, tasksOf } from '../support/approval';
import { testEnv } from '../support/env';
import { Http } from '../support/http';
import { freePort } from '../support/net';
import { OwnDatabase } from '../support/own-database';
import { Stack } from '../support/stack';
import { until } from '../support/until';

interface Sample { value?: string; labels?: Record<string, string>; buckets?: Record<string, string>; count?: string; sum?: string }
interface Family { name: string; help: string; type: string; metrics: Sample[] }

/**
 * Metrics: GET /metrics of the API and of the worker, in the Prometheus text format (parsed by a Prometheus
 * parser): the HTTP histogram by route template, the Temporal SDK's worker metrics, and the business gauges, which
 * move when an approval is submitted and decided. The gauges count every company, so this suite runs on a database of
 * its own: suites running beside it decide approvals of their own at the same time, and its counts are exact.
 */
describe('metrics', () => {
  let stack: Stack;
  let db: OwnDatabase;
  let workerMetrics = '';
  // Prometheus sends it as `authorization: { credentials: ... }` of its scrape config.
  const token = randomBytes(32).toString('base64url');
  const bearer = { authorization: `Bearer ${token}` };

  beforeAll(async () => {
    const port = await freePort();
    workerMetrics = `http://127.0.0.1:${port}/metrics`;
    db = await new OwnDatabase().create();
    stack = await new Stack('metrics', { WORKER_METRICS_PORT: String(port), DATABASE_URL: db.url, METRICS_TOKEN: token }).start();
  });
  afterAll(async () => {
    await stack?.stop();
    await db?.drop();
  });

  const texts = new Map<Map<string, Family>, string>();
  async function scrape(url: string): Promise<Map<string, Family>> {
    const res = await fetch(url, { headers: bearer });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    const families = new Map(parsePrometheus(text).map((f) => [f.name, f]));
    texts.set(families, text);
    return families;
  }
  /**
   * The series of a labelled histogram, by its `_count` lines: parse-prometheus-text-format merges the buckets of every
   * label set into one sample without labels, so those lines are parsed again as a counter family of their own.
   */
  const histogramSeries = (families: Map<string, Family>, name: string): Sample[] => {
    const lines = texts.get(families)!.split('\n').filter((l) => l.startsWith(`${name}_count{`));
    return parsePrometheus(`# TYPE ${name}_count counter\n${lines.join('\n')}\n`)[0]?.metrics ?? [];
  };
  const apiMetrics = () => scrape(`${stack.baseUrl}/metrics`);
  const gauge = (families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number => {
    const family = families.get(name);
    expect(family?.type).toBe('GAUGE');
    const sample = family!.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
    return Number(sample?.value ?? 0);
  };

  it('the API: an HTTP histogram by route template and status, and the business gauges', async () => {
    const http = new Http(stack.baseUrl);
    const c = await approvalCompany(http, (ids) => ({ type: 'approval', approverIds: [ids.approver], timeoutDays: 1 }));
    const invoice = await createLargeInvoice(c);
    const before = await apiMetrics();
    expect(gauge(before, 'relance_approvals_pending', { step: '1' })).toBe(0);
    expect(gauge(before, 'relance_approvals_near_deadline')).toBe(0);
    expect(before.has('relance_deliveries_failed')).toBe(true);
    expect(before.has('relance_deliveries_in_doubt')).toBe(true);
    expect(before.get('relance_webhook_deliveries_retrying')?.type).toBe('GAUGE');
    expect(before.get('relance_webhook_oldest_retrying_seconds')?.type).toBe('GAUGE');

    expect((await c.creator.http.post(`/v1/invoices/${invoice.id}/submit-for-approval`)).status).toBe(200);
    await until(() => tasksOf(c.approver, 'open', invoice.id), (t) => t.length === 1, 'the approval task');
    await until(apiMetrics, (m) => gauge(m, 'relance_approvals_pending', { step: '1' }) === 1,
      'relance_approvals_pending{step="1"} to count the submission');
    // A one-day approval is near its deadline in its last 6 h: moved there, as if submitted 19 h ago.
    await db.sql(`UPDATE approvals SET created_at = created_at - interval '19 hours', deadline = deadline - interval '19 hours'
                WHERE invoice_id = $1`, [invoice.id]);
    await until(apiMetrics, (m) => gauge(m, 'relance_approvals_near_deadline') === 1,
      'relance_approvals_near_deadline to count the approval in its last 6 h');

    expect((await c.approver.http.post(`/v1/invoices/${invoice.id}/approve`, {})).status).toBe(200);
    const decided = await until(apiMetrics, (m) => gauge(m, 'relance_approvals_pending', { step: '1' }) === 0,
      'relance_approvals_pending{step="1"} to drop the decided approval');
    expect(gauge(decided, 'relance_approvals_near_deadline')).toBe(0);

    const http404 = await c.creator.http.get('/v1/invoices/00000000-0000-4000-8000-000000000000');
    expect(http404.status).toBe(404);
    // A path no route matches is one bounded label value, never the path (a scanner's paths would each be a series).
    const unknownPath = `/v1/no-such-route-${invoice.id}`;
    expect((await c.creator.http.get(unknownPath)).status).toBe(404);
    const afterAll404 = await apiMetrics();
    expect(afterAll404.get('relance_http_request_duration_seconds')?.type).toBe('HISTOGRAM');
    const series = histogramSeries(afterAll404, 'relance_http_request_duration_seconds');
    const routes = series.map((m) => `${m.labels?.method} ${m.labels?.route} ${m.labels?.status}`);
    expect(routes).toEqual(expect.arrayContaining([
      'POST /v1/invoices/:id/submit-for-approval 200', 'POST /v1/invoices/:id/approve 200', 'POST /v1/invoices 201',
      'GET /v1/invoices/:id 404', 'GET unmatched 404',
    ]));
    expect(routes.some((r) => r.includes(invoice.id) || r.includes('00000000-') || r.includes('no-such-route'))).toBe(false);
    expect(Number(series.find((m) => m.labels?.route === '/v1/invoices/:id/approve')!.value)).toBeGreaterThanOrEqual(1);
    // The API's log: JSON lines; the approve's line names its route template, request id and company.
    const lines = readFileSync(path.join(testEnv().logDir, 'metrics-api.log'), 'utf8').split('\n').filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l.msg === 'request' && l.route === '/v1/invoices/:id/approve')).toMatchObject({
      service: 'relance-api', level: 'info', status: 200, companyId: c.tenant.companyId, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(texts.get(afterAll404)).toMatch(/relance_http_request_duration_seconds_bucket\{le="\+Inf",method="POST",route="\/v1\/invoices\/:id\/approve",status="200"\} \d+/);
  });

  it('with METRICS_TOKEN, the API\'s and the worker\'s /metrics answer 401 without it or with another, 200 with it', async () => {
    // The worker's exporter starts with its first metric: wait for it with the token.
    await until(() => fetch(workerMetrics, { headers: bearer }).then((r) => r.status, () => 0), (s) => s === 200, 'the worker\'s metrics');
    for (const url of [`${stack.baseUrl}/metrics`, workerMetrics]) {
      const statuses = await Promise.all([
        {}, { authorization: `Bearer ${token.slice(0, -1)}` }, { authorization: `Bearer ${token}x` }, { authorization: token }, { authorization: `Basic ${token}` }, bearer,
      ].map(async (headers) => {
        const res = await fetch(url, { headers });
        const text = await res.text();
        if (res.status === 401) {
          expect(res.headers.get('www-authenticate')).toBe('Bearer');
          expect(text).not.toContain('temporal_');
          expect(text).not.toContain('relance_');
        }
        return res.status;
      }));
      expect({ url, statuses }).toEqual({ url, statuses: [401, 401, 401, 401, 401, 200] });
    }
  });

  it('the worker: the Temporal SDK runtime\'s own metrics', async () => {
    const families = await until(() => scrape(workerMetrics),
      (m) => [...m.keys()].some((n) => n.startsWith('temporal_workflow_task_execution_latency')), 'workflow task metrics');
    const names = [...families.keys()];
    expect(names).toEqual(expect.arrayContaining(['temporal_worker_task_slots_available', 'temporal_request_total']));
    const slots = families.get('temporal_worker_task_slots_available')!.metrics;
    expect(slots.some((m) => m.labels?.task_queue === stack.taskQueue)).toBe(true);
    // RelanceWorkerNotPolling in alerts.yml selects this label value.
    expect(slots.map((m) => m.labels?.worker_type)).toContain('WorkflowWorker');
  });

  /**
   * Counters the SDK runtime registers on their first event only (a failed workflow task or activity): the suite does
   * not provoke those, so they count as exported by name (sdk-core's metric names, `_total` as configured).
   */
  const EMITTED_ON_FAILURE = ['temporal_workflow_task_execution_failed_total', 'temporal_activity_execution_failed_total'];

  it('every query of ops/grafana/relance.json and ops/prometheus/alerts.yml names a metric the services export', async () => {
    const exported = new Set(EMITTED_ON_FAILURE);
    // The approval's notices run as activities after its answer: wait until the worker has reported one.
    const worker = await until(() => scrape(workerMetrics), (m) => m.has('temporal_activity_execution_latency'),
      'an activity in the worker\'s metrics', { attempts: 100, intervalMs: 200 }).catch(() => scrape(workerMetrics));
    for (const families of [await apiMetrics(), worker]) {
      for (const [name, family] of families) {
        exported.add(name);
        if (family.type === 'HISTOGRAM') for (const suffix of ['_bucket', '_count', '_sum']) exported.add(`${name}${suffix}`);
      }
    }
    const ops = path.resolve(__dirname, '..', '..', 'ops');
    const dashboard = JSON.parse(readFileSync(path.join(ops, 'grafana', 'relance.json'), 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const alerts = readFileSync(path.join(ops, 'prometheus', 'alerts.yml'), 'utf8');
    const queries = [
      ...dashboard.panels.flatMap((p) => p.targets.map((t) => ({ where: `panel "${p.title}"`, expr: t.expr }))),
      ...[...alerts.matchAll(/^[ \t]+expr: (.+)$/gm)].map((m) => ({ where: 'alerts.yml', expr: m[1] })),
    ];
    expect(dashboard.panels.length).toBeGreaterThanOrEqual(8);
    const unknown: string[] = [];
    for (const { where, expr } of queries) {
      const names = [...expr.matchAll(/\b((?:relance|temporal)_[a-z0-9_]+)/g)].map((m) => m[1]);
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) if (!exported.has(name)) unknown.push(`${where}: ${name}`);
    }
    expect({ unknown, temporal: [...exported].filter((n) => n.startsWith('temporal_')).sort() }).toMatchObject({ unknown: [] });
  });

  /**
   * Every line the API and the worker wrote, on stdout and stderr (the stack's log files), is one JSON object, after a
   * refused write whose Postgres error TypeORM reports. Last: it stops the stack to read complete logs.
   */
  it('every line of the API and the worker is JSON', async () => {
    const c = await approvalCompany(new Http(stack.baseUrl));
    expect((await c.tenant.admin.patch(`/v1/customers/${c.customer.id}`, { group: 'a\u0000b' })).status).toBe(400);
    await stack.stop();
    for (const role of ['api', 'worker-1']) {
      const lines = readFileSync(path.join(testEnv().logDir, `metrics-${role}.log`), 'utf8').split('\n').filter((l) => l.trim());
      expect(lines.length).toBeGreaterThan(5);
      const notJson = lines.filter((l) => {
        try {
          return typeof JSON.parse(l) !== 'object';
        } catch {
          return true;
        }
      });
      expect({ role, notJson }).toEqual({ role, notJson: [] });
    }
    const api = readFileSync(path.join(testEnv().logDir, 'metrics-api.log'), 'utf8').split('\n').filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(api.find((l) => l.msg === 'query failed')).toMatchObject({ service: 'relance-api', level: 'error', query: expect.any(String) });
  });
});
