/* eslint-disable @typescript-eslint/no-explicit-any */
import { randomUUID } from 'node:crypto';
import { approvalCompany, ApprovalCompany, createLargeInvoice, tasksOf } from '../support/approval';
import { closeDb, sql } from '../support/db';
import { Http, HttpResult } from '../support/http';
import { createVendor } from '../support/ledger';
import { Stack } from '../support/stack';
import { until } from '../support/until';

/** Low enough that one test can reach it; every other test decides a few dozen times at most, each as its own users. */
const DECISIONS_PER_MINUTE = 120;

// Submissions, races and the wait for every run to settle, on a machine shared with other suites.
jest.setTimeout(180_000);

/**
 * `POST /v1/approvals/bulk` through the public API: each item is decided through its own `decide` Update and answers
 * its own result (the single route's status and message when refused), whatever the others do; a bulk call racing
 * single decisions of the same invoices makes one decision per invoice; a malformed call decides nothing; each item
 * counts as one decision against the caller's allowance, which the single routes share.
 */
describe('bulk approval decisions', () => {
  const stack = new Stack('approvals-bulk', { RELANCE_DECISION_RATE: String(DECISIONS_PER_MINUTE) });
  let http: Http;
  const answered: { route: string; status: number; body: unknown }[] = [];

  beforeAll(async () => {
    await stack.start();
    http = new Http(stack.baseUrl);
  });
  afterAll(async () => {
    await closeDb();
    await stack.stop();
  });

  async function record(route: string, request: Promise<HttpResult>): Promise<HttpResult> {
    const res = await request;
    answered.push({ route, status: res.status, body: res.body });
    return res;
  }

  const bulk = (by: Http, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    record('bulk', by.post('/v1/approvals/bulk', body, headers));
  const invoiceItems = (ids: string[]) => ids.map((id) => ({ kind: 'invoice', id }));

  async function submitted(c: ApprovalCompany, count: number): Promise<{ id: string; number: string }[]> {
    const invoices = await Promise.all(Array.from({ length: count }, () => createLargeInvoice(c)));
    await Promise.all(invoices.map(async (inv) => {
      expect((await c.creator.http.post(`/v1/invoices/${inv.id}/submit-for-approval`)).status).toBe(200);
      await until(() => tasksOf(c.approver, 'open', inv.id), (t) => t.length === 1, 'the approval task');
    }));
    return invoices;
  }

  async function decisionsOf(invoiceIds: string[]): Promise<Record<string, string[]>> {
    const rows = await sql<{ invoiceId: string; decision: string }>(
      `SELECT a.invoice_id AS "invoiceId", d.decision FROM approval_decisions d JOIN approvals a ON a.id = d.approval_id
        WHERE a.invoice_id = ANY($1::uuid[]) ORDER BY d.decided_at`, [invoiceIds]);
    return Object.fromEntries(invoiceIds.map((id) => [id, rows.filter((r) => r.invoiceId === id).map((r) => r.decision)]));
  }

  it('a bulk approve racing single approves of the same invoices: one decision each, the loser told 409, no 5xx', async () => {
    // Two approvers, any one of whom decides: the bulk caller and the single caller are both entitled to.
    const c = await approvalCompany(http, (ids) => ({ type: 'approval', approverIds: [ids.approver, ids.outsider], timeoutDays: 30 }));
    for (let round = 0; round < 3; round++) {
      const invoices = await submitted(c, 4);
      const [fromBulk, ...singles] = await Promise.all([
        bulk(c.approver.http, { decision: 'approve', items: invoiceItems(invoices.map((i) => i.id)), comment: `round ${round}` }),
        ...invoices.map((inv) => record('approve', c.outsider.http.post(`/v1/invoices/${inv.id}/approve`, { comment: 'single' }))),
      ]);
      expect(fromBulk.status).toBe(200);
      expect(fromBulk.body.results.map((r: any) => r.id)).toEqual(invoices.map((i) => i.id));
      for (const [i, item] of fromBulk.body.results.entries()) {
        const single = singles[i];
        // Exactly one of the two decided; the other was told why not, as the single route says it.
        expect([item.outcome, single.status]).toEqual(item.outcome === 'decided' ? ['decided', 409] : ['refused', 200]);
        if (item.outcome === 'decided') {
          expect(item.approval.status).toBe('approved');
          expect(single.body.message).toMatch(/is not pending approval/);
        } else {
          expect(item).toMatchObject({ kind: 'invoice', status: 409, error: 'Conflict', message: expect.stringMatching(/is not pending approval/) });
        }
      }
      expect(fromBulk.body.decided + fromBulk.body.refused).toBe(invoices.length);
      const trail = await decisionsOf(invoices.map((i) => i.id));
      expect(Object.values(trail)).toEqual(invoices.map(() => ['approved']));
    }
  });

  it('mixed items in one call: decided, not pending (409), not an approver of the step (403), self-approval (403), another tenant and missing (404), bills too', async () => {
    const c = await approvalCompany(http, (ids) => ({ type: 'approval', steps: [{ approverIds: [ids.approver, ids.watcher] }, { approverIds: [ids.outsider] }], timeoutDays: 30 }));
    const other = await approvalCompany(http);
    const [pending, atStepTwo] = await submitted(c, 2);
    expect((await c.approver.http.post(`/v1/invoices/${atStepTwo.id}/approve`, {})).status).toBe(200);
    const notSubmitted = await createLargeInvoice(c);
    const ownInvoice = await createLargeInvoice(c, c.approver.http);
    expect((await c.approver.http.post(`/v1/invoices/${ownInvoice.id}/submit-for-approval`)).status).toBe(200);
    const [othersInvoice] = await submitted(other, 1);
    const missing = randomUUID();
    // Bills go through the same decide: one that needs no approval is not pending, another tenant's is missing.
    const vendor = await createVendor(c.tenant.admin);
    const bill = (await c.tenant.admin.post('/v1/bills', { vendorId: vendor.id, number: 'B-77', amount: '1250.00', dueDate: '2026-12-31' })).body;
    const othersBill = (await other.tenant.admin.post('/v1/bills', { vendorId: (await createVendor(other.tenant.admin)).id, amount: '9.00', dueDate: '2026-12-31' })).body;

    const ids = [pending.id, notSubmitted.id, atStepTwo.id, ownInvoice.id, othersInvoice.id, missing];
    const res = await bulk(c.approver.http, {
      decision: 'approve', items: [...invoiceItems(ids), { kind: 'bill', id: bill.id }, { kind: 'bill', id: othersBill.id }], comment: 'batch of Monday',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ decided: 1, refused: 7 });
    const bills = res.body.results.splice(6, 2);
    expect(bills).toEqual([
      { kind: 'bill', id: bill.id, outcome: 'refused', status: 409, error: 'Conflict', message: expect.stringMatching(/^bill B-77 is not pending approval/) },
      { kind: 'bill', id: othersBill.id, outcome: 'refused', status: 404, error: 'Not Found', message: `bill ${othersBill.id} not found` },
    ]);
    const [decided, ...refused] = res.body.results;
    expect(decided).toMatchObject({ kind: 'invoice', id: pending.id, outcome: 'decided' });
    expect(decided.approval).toMatchObject({ invoiceId: pending.id, status: 'pending_approval' });
    expect(decided.approval.decisions.map((d: any) => [d.step, d.decision, d.via])).toEqual([[1, 'approved', 'api']]);
    expect(refused.map((r: any) => [r.id, r.outcome, r.status])).toEqual([
      [notSubmitted.id, 'refused', 409], [atStepTwo.id, 'refused', 403], [ownInvoice.id, 'refused', 403],
      [othersInvoice.id, 'refused', 404], [missing, 'refused', 404],
    ]);
    // Each refusal says what the single route says for the same invoice (nothing changed in between).
    for (const r of refused) {
      const single = await c.approver.http.post(`/v1/invoices/${r.id}/approve`, { comment: 'batch of Monday' });
      expect([r.id, r.status, r.message]).toEqual([r.id, single.status, single.body.message]);
    }
    // Another tenant's invoice answers exactly as one that does not exist.
    expect(refused[3].message).toBe(refused[4].message.replace(missing, othersInvoice.id));

    const trail = await decisionsOf([pending.id, notSubmitted.id, atStepTwo.id, ownInvoice.id, othersInvoice.id]);
    expect(trail).toEqual({
      [pending.id]: ['approved'], [notSubmitted.id]: [], [atStepTwo.id]: ['approved'], [ownInvoice.id]: [], [othersInvoice.id]: [],
    });
    const [{ comment, via }] = await sql<{ comment: string; via: string }>(
      'SELECT d.comment, d.via FROM approval_decisions d JOIN approvals a ON a.id = d.approval_id WHERE a.invoice_id = $1', [pending.id]);
    expect({ comment, via }).toEqual({ comment: 'batch of Monday', via: 'api' });
  });

  it('refuses a malformed call with a 400 and decides nothing: 101 items, none, a bad item, a duplicate, a reject without reason', async () => {
    const c = await approvalCompany(http);
    const [inv] = await submitted(c, 1);
    const tooMany = [inv.id, ...Array.from({ length: 100 }, () => randomUUID())];
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ decision: 'approve', items: invoiceItems(tooMany) }, /items must hold 1 to 100 items/],
      [{ decision: 'approve', items: [] }, /items must hold 1 to 100 items/],
      [{ decision: 'approve', items: [{ kind: 'invoice', id: inv.id }, { kind: 'quote', id: 'nope' }] }, /items\.1\.kind must be one of invoice, bill/],
      [{ decision: 'approve', items: [{ kind: 'invoice', id: inv.id }, { kind: 'invoice', id: 'nope' }] }, /items\.1\.id must be a UUID/],
      [{ decision: 'approve', items: [{ kind: 'invoice', id: inv.id }, { kind: 'invoice', id: inv.id.toUpperCase() }] },
        new RegExp(`items\\.1 repeats items\\.0 \\(invoice ${inv.id}\\)`)],
      [{ decision: 'reject', items: invoiceItems([inv.id]) }, /reason/],
      [{ decision: 'reject', items: invoiceItems([inv.id]), reason: '   ' }, /reason/],
      [{ decision: 'approve', items: invoiceItems([inv.id]), reason: 'why' }, /reason is only for reject/],
      [{ decision: 'maybe', items: invoiceItems([inv.id]) }, /decision must be one of approve, reject/],
    ];
    for (const [body, message] of cases) {
      const res = await bulk(c.approver.http, body);
      expect([res.status, res.body.message]).toEqual([400, expect.stringMatching(message)]);
    }
    const view = await c.approver.http.get(`/v1/invoices/${inv.id}/approval`);
    expect(view.body.status).toBe('pending_approval');
    expect(await decisionsOf([inv.id])).toEqual({ [inv.id]: [] });
  });

  it('a bulk reject with an Idempotency-Key, sent twice, decides once and replays its answer', async () => {
    const c = await approvalCompany(http);
    const invoices = await submitted(c, 2);
    const body = { decision: 'reject', items: invoiceItems(invoices.map((i) => i.id)), reason: 'Duplicate of last month' };
    const key = randomUUID();
    const first = await bulk(c.approver.http, body, { 'idempotency-key': key });
    const again = await bulk(c.approver.http, body, { 'idempotency-key': key });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ decided: 2, refused: 0 });
    expect(first.body.results.map((r: any) => r.approval.status)).toEqual(['rejected', 'rejected']);
    expect([again.status, again.headers.get('idempotent-replayed'), again.body]).toEqual([200, 'true', first.body]);
    expect(Object.values(await decisionsOf(invoices.map((i) => i.id)))).toEqual([['rejected'], ['rejected']]);
  });

  it('each item counts as one decision against the caller\'s allowance, which the single routes share: past it, a 429 that decides nothing', async () => {
    const c = await approvalCompany(http);
    const [inv] = await submitted(c, 1);
    const full = await bulk(c.approver.http, { decision: 'approve', items: invoiceItems(Array.from({ length: 100 }, () => randomUUID())) });
    expect([full.status, full.body.refused]).toEqual([200, 100]);
    const over = await bulk(c.approver.http, { decision: 'approve', items: invoiceItems([inv.id, ...Array.from({ length: 20 }, () => randomUUID())]) });
    expect(over.status).toBe(429);
    expect(over.body.message).toMatch(new RegExp(`too many approval decisions: at most ${DECISIONS_PER_MINUTE} a minute`));
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    const single = await record('approve', c.approver.http.post(`/v1/invoices/${inv.id}/approve`, {}));
    expect(single.status).toBe(429);
    expect(await decisionsOf([inv.id])).toEqual({ [inv.id]: [] });
    // Another approver's allowance is their own.
    const own = await bulk(c.outsider.http, { decision: 'approve', items: invoiceItems([randomUUID()]) });
    expect([own.status, own.body.results[0].status]).toEqual([200, 404]);
  });

  it('answered no call with a 5xx', () => {
    expect(answered.filter((a) => a.status >= 500)).toEqual([]);
  });
});
