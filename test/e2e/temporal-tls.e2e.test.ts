import { readFileSync } from 'node:fs';
import path from 'node:path';
import { approvalCompany, createLargeInvoice, tasksOf } from '../support/approval';
import { closeDb } from '../support/db';
import { testEnv } from '../support/env';
import { Http } from '../support/http';
import { Stack } from '../support/stack';
import { makePki, TlsProxy } from '../support/tls-proxy';
import { until } from '../support/until';

/**
 * Whoever reaches Temporal may start, signal, update and read every run: an operator. In front of the test server, a
 * TLS proxy that asks for a client certificate of its own CA stands for a Temporal frontend with mTLS: the API and the
 * worker reach it with TEMPORAL_TLS_*; without a certificate of that CA they are refused.
 */
describe('Temporal over mutual TLS', () => {
  const pki = makePki();
  const proxy = new TlsProxy(testEnv().temporalAddress, pki);
  const tlsEnv = (extra: Record<string, string>) => ({ TEMPORAL_ADDRESS: proxy.address, TEMPORAL_TLS_CA: pki.ca, ...extra });

  beforeAll(() => proxy.start());
  afterAll(async () => {
    await closeDb();
    await proxy.stop();
  });

  it('runs an invoice approval with the API and the worker connected through the proxy with the client certificate', async () => {
    const stack = new Stack('temporal-tls', tlsEnv({ TEMPORAL_TLS_CERT: pki.clientCert, TEMPORAL_TLS_KEY: pki.clientKey, TEMPORAL_TLS_SERVER_NAME: 'localhost' }));
    try {
      await stack.start();
      const c = await approvalCompany(new Http(stack.baseUrl));
      const invoice = await createLargeInvoice(c);
      expect((await c.creator.http.post(`/v1/invoices/${invoice.id}/submit-for-approval`)).status).toBe(200);
      await until(() => tasksOf(c.approver, 'open', invoice.id), (t) => t.length === 1, 'the approval task');
      const approved = await c.approver.http.post(`/v1/invoices/${invoice.id}/approve`, { comment: 'over mTLS' });
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({ status: 'approved', decisions: [{ decision: 'approved', comment: 'over mTLS' }] });
      expect(proxy.accepted).toBeGreaterThan(0);
    } finally {
      await stack.stop();
    }
  });

  it.each([
    ['without a client certificate', {}],
    ['with a client certificate of another CA', { TEMPORAL_TLS_CERT: pki.strangerCert, TEMPORAL_TLS_KEY: pki.strangerKey }],
  ])('refuses the worker and the API %s', async (name, extra) => {
    const label = `temporal-tls-refused-${name.split(' ').pop()}`;
    const stack = new Stack(label, tlsEnv(extra));
    const refusedBefore = proxy.refused.length;
    try {
      await expect(stack.start()).rejects.toThrow('worker exited with code 1 while starting');
      const workerLog = readFileSync(path.join(testEnv().logDir, `${label}-worker-1.log`), 'utf8');
      expect(workerLog).toMatch(new RegExp(`cannot connect to Temporal at ${proxy.address.replace(/\./g, '\\.')} \\(TLS`));
      const health = await until(() => fetch(`${stack.baseUrl}/health`).then(async (r) => ({ status: r.status, body: await r.json() })).catch(() => null),
        (h) => h !== null, 'the API\'s health');
      expect(health).toMatchObject({ status: 503, body: { temporal: { status: 'down' } } });
      expect(proxy.refused.length).toBeGreaterThan(refusedBefore);
    } finally {
      await stack.stop();
    }
  });
});
