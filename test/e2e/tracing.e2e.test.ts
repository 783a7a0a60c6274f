import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { addDays, todayIn } from '../../src/domain/dates';
import { approvalCompany, createLargeInvoice, tasksOf } from '../support/approval';
import { closeDb } from '../support/db';
import { testEnv } from '../support/env';
import { Http } from '../support/http';
import { createInvoice } from '../support/ledger';
import { waitForMails } from '../support/mail';
import { Stack } from '../support/stack';
import { until } from '../support/until';

interface Span { traceId: string; spanId: string; name: string; attributes?: { key: string; value: Record<string, unknown> }[] }
interface Recorded { service: string; span: Span }

/**
 * Traces: with OTEL_EXPORTER_OTLP_ENDPOINT set, the API and the worker export OTLP/HTTP traces. The receiver
 * here is a test double that records what it is sent (it stands for the collector); one approve yields spans of
 * relance-api and relance-worker in one trace: the HTTP request and the Update the API sends, the Update's handling in
 * the workflow.
 */
describe('tracing', () => {
  const spans: Recorded[] = [];
  let receiver: Server;
  let stack: Stack;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (req.url === '/v1/traces' && (req.headers['content-type'] ?? '').includes('json')) {
          const doc = JSON.parse(body) as { resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] };
            scopeSpans: { spans: Span[] }[] }[] };
          for (const rs of doc.resourceSpans) {
            const service = rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '?';
            for (const ss of rs.scopeSpans) for (const span of ss.spans) spans.push({ service, span });
          }
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    // http/dup: the HTTP spans carry both the old attributes (http.url, http.target) and the stable ones (url.path).
    stack = await new Stack('tracing', { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: '200', OTEL_SEMCONV_STABILITY_OPT_IN: 'http/dup' }).start();
  });
  afterAll(async () => {
    await closeDb();
    await stack.stop();
    receiver.close();
  });

  it('one approve: spans of relance-api and relance-worker in one trace, down to the activity that records it', async () => {
    const c = await approvalCompany(new Http(stack.baseUrl));
    const invoice = await createLargeInvoice(c);
    expect((await c.creator.http.post(`/v1/invoices/${invoice.id}/submit-for-approval`)).status).toBe(200);
    await until(() => tasksOf(c.approver, 'open', invoice.id), (t) => t.length === 1, 'the approval task');
    expect((await c.approver.http.post(`/v1/invoices/${invoice.id}/approve`, {})).status).toBe(200);

    const approveTrace = () => spans.find((s) => s.service === 'relance-api' && JSON.stringify(s.span.attributes ?? []).includes(`${invoice.id}/approve`))
      ?.span.traceId;
    const trace = await until(async () => {
      const id = approveTrace();
      return id ? spans.filter((s) => s.span.traceId === id) : [];
    }, (t) => ['HandleUpdate:decide', 'RunActivity:settleDecision'].every((name) => t.some((s) => s.service === 'relance-worker' && s.span.name === name)),
    'the approve\'s trace with the worker\'s Update span and the activity that records the decision',
    { attempts: 100, intervalMs: 200 });
    const services = new Set(trace.map((s) => s.service));
    console.log(`[tracing] the approve's trace: ${trace.map((s) => `${s.service}:${s.span.name}`).join(', ')}`);
    expect([...services].sort()).toEqual(['relance-api', 'relance-worker']);
    // From the request through the Update to the activity that records the decision (run by the workflow's main loop,
    // in the Update's trace context).
    expect(trace.map((s) => s.span.name)).toEqual(expect.arrayContaining([
      'StartWorkflowUpdate:decide', 'HandleUpdate:decide', 'StartActivity:settleDecision', 'RunActivity:settleDecision',
    ]));
  });

  /**
   * A link's token is its credential: whoever reads traces, logs or metrics must not be able to follow it. The spans
   * show the route with the token replaced; nothing the API or the worker recorded holds it.
   */
  it('a decision link and an unsubscribe link: no span, log line or metric holds the token; spans show it redacted', async () => {
    const c = await approvalCompany(new Http(stack.baseUrl));
    const invoice = await createLargeInvoice(c);
    expect((await c.creator.http.post(`/v1/invoices/${invoice.id}/submit-for-approval`)).status).toBe(200);
    const [request] = (await until(() => waitForMails(c.approver.email, 1), (m) => m.some((x) => x.subject.includes(invoice.number)), 'the approval email'))
      .filter((m) => m.subject.includes(invoice.number));
    const decisionLink = /https?:\/\/\S+\/approvals\/([\w-]{43})/.exec(request.text)!;

    // A dunning step due today for the same customer: its email carries an unsubscribe link.
    const today = todayIn(String(c.tenant.company.timezone), new Date());
    await createInvoice(c.tenant.admin, c.customer.id, { amount: '240.00', issueDate: addDays(today, -30), dueDate: addDays(today, 3) });
    const sequence = await c.tenant.admin.post('/v1/workflows', {
      templateKey: 'collection-sequence', name: 'Dunning', activate: true, conditions: [{ field: 'customerId', op: 'eq', value: c.customer.id }],
      steps: [{ offsetDays: -3, subject: 'Due soon: {{invoiceNumber}}', body: 'Hello {{customerName}}' }],
    });
    expect(sequence.status).toBe(201);
    expect((await c.tenant.admin.post(`/v1/workflows/${sequence.body.id}/run-now`)).status).toBe(202);
    const [reminder] = await until(() => waitForMails(c.customer.email, 1), (m) => m.some((x) => x.subject.startsWith('Due soon')), 'the reminder');
    const unsubscribeLink = /https?:\/\/\S+\/unsubscribe\/([\w-]{43})/.exec(reminder.text)!;

    const guess = randomBytes(32).toString('base64url');
    expect((await fetch(decisionLink[0])).status).toBe(200);
    expect((await fetch(unsubscribeLink[0])).status).toBe(200);
    expect((await fetch(`${stack.baseUrl}/approvals/${guess}?from=mail`)).status).toBe(404);
    const pdfGuess = randomBytes(32).toString('base64url');
    expect((await fetch(`${decisionLink[0]}/pdf`)).status).toBe(200);
    expect((await fetch(`${stack.baseUrl}/approvals/${pdfGuess}/pdf`)).status).toBe(404);
    const tokens = [decisionLink[1], unsubscribeLink[1], guess, pdfGuess];

    const pageSpans = await until(async () => spans.filter((s) => s.service === 'relance-api' && s.span.name === 'GET'
      && /\/(approvals|unsubscribe)\//.test(JSON.stringify(s.span.attributes))), (found) => found.length >= 5, 'the spans of the three pages and the two PDFs');
    const exported = JSON.stringify(spans);
    const logs = ['api', 'worker-1'].map((role) => readFileSync(path.join(testEnv().logDir, `tracing-${role}.log`), 'utf8')).join('\n');
    const metrics = await (await fetch(`${stack.baseUrl}/metrics`)).text();
    expect(tokens.filter((t) => exported.includes(t) || logs.includes(t) || metrics.includes(t))).toEqual([]);

    const attributes = pageSpans.map((s) => Object.fromEntries((s.span.attributes ?? []).map((a) => [a.key, Object.values(a.value)[0]])));
    expect(attributes.map((a) => a['http.target']).sort())
      .toEqual(['/approvals/:token', '/approvals/:token/pdf', '/approvals/:token/pdf', '/approvals/:token?from=mail', '/unsubscribe/:token']);
    expect(attributes.map((a) => a['url.path']).sort())
      .toEqual(['/approvals/:token', '/approvals/:token', '/approvals/:token/pdf', '/approvals/:token/pdf', '/unsubscribe/:token']);
    expect(attributes.find((a) => a['http.target'] === '/unsubscribe/:token')!['http.url']).toBe(`${stack.baseUrl}/unsubscribe/:token`);
    expect(metrics).toMatch(/route="\/approvals\/:token",status="200"/);
    expect(metrics).toMatch(/route="\/approvals\/:token\/pdf",status="200"/);
  });

  it('spans still buffered when the API and the worker get SIGTERM are exported before they exit', async () => {
    const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    // A minute between exports: only the flush at shutdown can send these spans while the test waits.
    const buffered = await new Stack('tracing-shutdown', { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: '60000' }).start();
    try {
      const c = await approvalCompany(new Http(buffered.baseUrl));
      const invoice = await createLargeInvoice(c);
      expect((await c.creator.http.post(`/v1/invoices/${invoice.id}/submit-for-approval`)).status).toBe(200);
      await until(() => tasksOf(c.approver, 'open', invoice.id), (t) => t.length === 1, 'the approval task');
      const submitTrace = () => spans.find((s) => s.service === 'relance-api'
        && JSON.stringify(s.span.attributes ?? []).includes(`${invoice.id}/submit-for-approval`))?.span.traceId;
      expect(submitTrace()).toBeUndefined();
      await buffered.stop();
      const trace = spans.filter((s) => s.span.traceId === submitTrace());
      expect([...new Set(trace.map((s) => s.service))].sort()).toEqual(['relance-api', 'relance-worker']);
    } finally {
      await buffered.stop();
    }
  });
});
