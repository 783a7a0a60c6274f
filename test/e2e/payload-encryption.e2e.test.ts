/* eslint-disable @typescript-eslint/no-explicit-any */
import { Client, Connection } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import { approvalCompany, ApprovalCompany, createLargeInvoice, outcomeNotified, tasksOf } from '../support/approval';
import { closeDb } from '../support/db';
import { testEnv } from '../support/env';
import { Http } from '../support/http';
import { Stack } from '../support/stack';
import { until } from '../support/until';

type WirePayload = { metadata: Record<string, string>; data: string };

/** Every payload of a history, found by shape, in the codec server's JSON form (metadata values and data in base64). */
function payloadsOf(value: unknown, found: WirePayload[] = []): WirePayload[] {
  if (Array.isArray(value)) value.forEach((v) => payloadsOf(v, found));
  else if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (v.metadata && typeof v.metadata === 'object' && v.data instanceof Uint8Array) {
      const metadata = Object.fromEntries(Object.entries(v.metadata as Record<string, Uint8Array>).map(([k, b]) => [k, Buffer.from(b).toString('base64')]));
      found.push({ metadata, data: Buffer.from(v.data).toString('base64') });
    }
    Object.values(v).forEach((child) => payloadsOf(child, found));
  }
  return found;
}

/** The history as text, every byte string read as UTF-8: what an operator of Temporal's database could read. */
function readable(value: unknown): string {
  // Before JSON.stringify: a Buffer's toJSON would turn it into a list of numbers first.
  const utf8 = (v: unknown): unknown => {
    if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
    if (Array.isArray(v)) return v.map(utf8);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, child]) => [k, utf8(child)]));
    return v;
  };
  return JSON.stringify(utf8(value));
}
const meta = (p: WirePayload, key: string) => (p.metadata[key] ? Buffer.from(p.metadata[key], 'base64').toString('utf8') : undefined);

/**
 * With RELANCE_PAYLOAD_KEYS, the API and the worker encrypt every payload (inputs, results, signals, updates, failure
 * messages) before Temporal stores it: reading Temporal's history without the key shows no customer, invoice or
 * comment. The API's codec endpoint decodes payloads for the Temporal Web UI and CLI, behind RELANCE_CODEC_TOKEN.
 */
describe('payload encryption', () => {
  const oldKey = randomBytes(32).toString('base64');
  const newKey = randomBytes(32).toString('base64');
  const codecToken = randomBytes(24).toString('hex');
  const stack = new Stack('payload-encryption', {
    RELANCE_PAYLOAD_KEYS: `k2:${newKey},k1:${oldKey}`, RELANCE_CODEC_TOKEN: codecToken, RELANCE_CODEC_CORS_ORIGINS: 'http://localhost:8233',
  });
  let plain: Client;
  let connection: Connection;
  let c: ApprovalCompany;
  let invoice: any;
  const comment = `matches purchase order PO-${randomBytes(4).toString('hex')}`;
  let payloads: WirePayload[];
  let history: unknown;

  const codec = (body: unknown, headers: Record<string, string> = { authorization: `Bearer ${codecToken}` }) =>
    fetch(`${stack.baseUrl}/codec/decode`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, body: (await r.json().catch(() => null)) as any, headers: r.headers }));

  beforeAll(async () => {
    await stack.start();
    connection = await Connection.connect({ address: testEnv().temporalAddress });
    plain = new Client({ connection, namespace: testEnv().temporalNamespace });
    c = await approvalCompany(new Http(stack.baseUrl));
    invoice = await createLargeInvoice(c);
    expect((await c.creator.http.post(`/v1/invoices/${invoice.id}/submit-for-approval`)).status).toBe(200);
    await until(() => tasksOf(c.approver, 'open', invoice.id), (t) => t.length === 1, 'the approval task');
    const approved = await c.approver.http.post(`/v1/invoices/${invoice.id}/approve`, { comment });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', decisions: [{ decision: 'approved', comment }] });
    await outcomeNotified(invoice.id);
    history = await plain.workflow.getHandle(`invoice-approval-${invoice.id}-1`).fetchHistory();
    payloads = payloadsOf(history);
  });
  afterAll(async () => {
    await closeDb();
    await connection?.close();
    await stack.stop();
  });

  it('runs an approval whose history, read from Temporal without the key, holds no customer, invoice number or comment', () => {
    const text = readable(history);
    // Read in clear: the workflow id, and the CompanyId search attribute (a payload's bytes, so the reading works).
    expect(text).toContain(invoice.id);
    expect(text).toContain(c.tenant.companyId);
    for (const secret of [c.customer.name, invoice.number, comment]) expect(text).not.toContain(secret);
    expect(payloads.length).toBeGreaterThan(3);
    // Search attributes stay readable (Temporal indexes them); every other payload is encrypted with the first key.
    const encrypted = payloads.filter((p) => meta(p, 'encoding') === 'binary/encrypted');
    expect(encrypted.length).toBeGreaterThan(3);
    expect(new Set(encrypted.map((p) => meta(p, 'encryption-key-id')))).toEqual(new Set(['k2']));
  });

  it('decodes payloads for the Web UI at POST /codec/decode with the codec token, answering CORS for the UI origin', async () => {
    const encrypted = payloads.filter((p) => meta(p, 'encoding') === 'binary/encrypted');
    const res = await codec({ payloads: encrypted });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const decoded = (res.body.payloads as WirePayload[]).map((p) => Buffer.from(p.data, 'base64').toString('utf8')).join('\n');
    expect(decoded).toContain(invoice.number);
    expect(decoded).toContain(comment);
    expect(res.body.payloads.filter((p: WirePayload) => meta(p, 'encoding') === 'binary/encrypted')).toEqual([]);

    const preflight = await fetch(`${stack.baseUrl}/codec/decode`, {
      method: 'OPTIONS', headers: { origin: 'http://localhost:8233', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-namespace' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    const other = await fetch(`${stack.baseUrl}/codec/decode`, { method: 'OPTIONS', headers: { origin: 'http://evil.test', 'access-control-request-method': 'POST' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses the codec endpoint without the token, or with another one (401)', async () => {
    const one = payloads.filter((p) => meta(p, 'encoding') === 'binary/encrypted').slice(0, 1);
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wrong' }, { authorization: `Bearer ${codecToken}x` }, { authorization: codecToken }]) {
      const res = await codec({ payloads: one }, headers);
      expect(res.status).toBe(401);
      expect(JSON.stringify(res.body)).not.toContain(invoice.number);
    }
  });

  it('answers malformed input with a 4xx, never a 500', async () => {
    const [first] = payloads.filter((p) => meta(p, 'encoding') === 'binary/encrypted');
    const tampered = { ...first, data: Buffer.from(Buffer.from(first.data, 'base64').map((b, i) => (i === 20 ? b ^ 1 : b))).toString('base64') };
    const unknownKey = { ...first, metadata: { ...first.metadata, 'encryption-key-id': Buffer.from('k0').toString('base64') } };
    for (const body of ['not json', '[]', {}, { payloads: 'x' }, { payloads: [null] }, { payloads: [{ metadata: 'x', data: 'AA==' }] },
      { payloads: [{ metadata: { encoding: 42 }, data: 'AA==' }] }, { payloads: [{ metadata: {}, data: 7 }] }, { payloads: [tampered] }, { payloads: [unknownKey] }]) {
      const res = await codec(body);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    const unknown = await codec({ payloads: [unknownKey] });
    expect(unknown).toMatchObject({ status: 400, body: { message: expect.stringContaining('"k0"') } });
  });
});
