/* eslint-disable @typescript-eslint/no-explicit-any */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from '../../src/domain/webhook-signature';
import { tasksOf, temporalCli, workflowIdsMatching } from '../support/approval';
import { closeDb, sql } from '../support/db';
import { createTenant, createUser, type Tenant } from '../support/fixtures';
import { Http } from '../support/http';
import { createVendor, tag } from '../support/ledger';
import { waitForMails } from '../support/mail';
import { Stack } from '../support/stack';
import { until } from '../support/until';

const LINK = /https?:\/\/[^\s]+\/approvals\/([A-Za-z0-9_-]{43})/;

/** An integrator's receiver on 127.0.0.1: every request answered 200, kept by path. */
async function startReceiver(): Promise<{ server: Server; url: (path: string) => string; at: (path: string) => Array<{ body: string; signature: string }> }> {
  const received: Array<{ path: string; body: string; signature: string }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ path: req.url ?? '/', body, signature: String(req.headers['relance-signature'] ?? '') });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { server, url: (path) => `http://127.0.0.1:${port}${path}`, at: (path) => received.filter((r) => r.path === path) };
}

async function page(url: string, form?: Record<string, string>) {
  const res = await fetch(url, form
    ? { method: 'POST', body: new URLSearchParams(form), headers: { 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' }
    : { redirect: 'manual' });
  return { status: res.status, html: await res.text() };
}

type Member = Awaited<ReturnType<typeof createUser>>;

interface BillCompany {
  tenant: Tenant;
  creator: Member;
  approver: Member;
  outsider: Member;
  vendor: { id: string; name: string };
  definitionId: string;
}

/** A company with an active `bill-approval` definition for bills over 1000.00 that `approver` decides. */
async function billCompany(http: Http): Promise<BillCompany> {
  const tenant = await createTenant(http);
  const creator = await createUser(tenant, 'standard', 'Cora');
  const approver = await createUser(tenant, 'standard', 'Avery');
  const outsider = await createUser(tenant, 'standard', 'Olive');
  const vendor = await createVendor(tenant.admin);
  const definition = await tenant.admin.post('/v1/workflows', {
    templateKey: 'bill-approval',
    name: 'Large bills',
    conditions: [{ field: 'amount', op: 'gt', value: '1000.00' }],
    actions: [{ type: 'approval', approverIds: [approver.id], timeoutDays: 30 }],
    activate: true,
  });
  if (definition.status !== 201) throw new Error(`creating the bill-approval definition failed: ${definition.status} ${JSON.stringify(definition.body)}`);
  return { tenant, creator, approver, outsider, vendor, definitionId: definition.body.id };
}

async function createBill(c: BillCompany, by: Http = c.creator.http, amount = '1250.00', memo = 'Office chairs'): Promise<any> {
  const res = await by.post('/v1/bills', { vendorId: c.vendor.id, number: `B-${tag()}`, amount, issueDate: '2026-12-01', dueDate: '2026-12-31', memo });
  if (res.status !== 201) throw new Error(`creating a bill failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The decision link of the latest approval email to `email` about `number`. */
async function decisionLink(email: string, number: string, count = 1): Promise<string> {
  const mails = (await waitForMails(email, count)).filter((m) => m.subject.includes(number));
  const match = mails[mails.length - 1]?.text.match(LINK);
  if (!match) throw new Error(`no decision link in the emails to ${email} about ${number}: ${JSON.stringify(mails.map((m) => m.text))}`);
  return match[0];
}

/**
 * Bill approval through the real API and worker processes, Postgres, Temporal and the SMTP listener: the same durable
 * workflow and rules as invoices, decided through the bill routes and from the email.
 */
describe('bill approval', () => {
  const stack = new Stack('bill-approval', { RELANCE_WEBHOOK_DISPATCH_INTERVAL_MS: '200' });
  let http: Http;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    await stack.start();
    http = new Http(stack.baseUrl);
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await closeDb();
    receiver?.server.close();
    await stack.stop();
  });

  it('a standard user\'s matching bill needs approval and cannot be paid; an admin\'s or a small one does not', async () => {
    const c = await billCompany(http);
    const bill = await createBill(c);
    expect(bill).toMatchObject({ approvalStatus: 'approval_required', createdBy: c.creator.id, amount: '1250.00' });
    expect((await c.creator.http.get(`/v1/bills/${bill.id}`)).body).toMatchObject({ approvalStatus: 'approval_required', createdBy: c.creator.id });

    const refused = await c.tenant.admin.post(`/v1/bills/${bill.id}/pay`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.message).toBe(`bill ${bill.number} cannot be paid: its approval status is approval_required; it must be approved first`);
    expect((await c.tenant.admin.get(`/v1/bills/${bill.id}`)).body).toMatchObject({ paidAt: null, balance: '1250.00' });

    const byAdmin = await createBill(c, c.tenant.admin);
    expect(byAdmin).toMatchObject({ approvalStatus: 'not_required', createdBy: c.tenant.adminId });
    const small = await createBill(c, c.creator.http, '80.00');
    expect(small.approvalStatus).toBe('not_required');
    expect((await c.creator.http.patch(`/v1/bills/${small.id}`, { amount: '90.00' })).body.approvalStatus).toBe('not_required');
    expect((await c.tenant.admin.post(`/v1/bills/${small.id}/pay`, {})).status).toBe(200);

    // Editing the amount evaluates it again, both ways.
    const grown = await createBill(c, c.creator.http, '100.00');
    expect((await c.creator.http.patch(`/v1/bills/${grown.id}`, { amount: '1500.00' })).body.approvalStatus).toBe('approval_required');
    expect((await c.creator.http.patch(`/v1/bills/${grown.id}`, { amount: '150.00' })).body.approvalStatus).toBe('not_required');
  });

  it('submit, decided from the email page, approved, paid; webhook events; the run is listed by BillId', async () => {
    const c = await billCompany(http);
    const hook = await c.tenant.admin.post('/v1/webhook-endpoints', {
      url: receiver.url(`/bills-${c.tenant.companyId}`), events: ['bill.approval.requested', 'bill.approval.decided'],
    });
    expect(hook.status).toBe(201);
    const bill = await createBill(c, c.creator.http, '1250.00', 'PO <b>77</b>');

    const submit = await c.creator.http.post(`/v1/bills/${bill.id}/submit-for-approval`);
    expect(submit.status).toBe(200);
    expect(submit.body).toMatchObject({
      status: 'pending_approval', submission: 1, workflowId: `bill-approval-${bill.id}-1`, currentStep: 1,
      approvers: [{ id: c.approver.id, name: 'Avery' }], definitionId: c.definitionId, definitionVersion: 1, decisions: [],
    });
    expect((await c.creator.http.get(`/v1/bills/${bill.id}`)).body.approvalStatus).toBe('pending_approval');
    expect((await c.tenant.admin.post(`/v1/bills/${bill.id}/pay`, {})).status).toBe(409);
    expect((await c.creator.http.post(`/v1/bills/${bill.id}/submit-for-approval`)).status).toBe(409);

    expect(await until(() => workflowIdsMatching(`BillId = '${bill.id}'`), (ids) => ids.length === 1, 'the run by BillId'))
      .toEqual([`bill-approval-${bill.id}-1`]);
    const tasks = await until(() => tasksOf(c.approver, 'open', bill.id), (t) => t.length === 1, 'the approver\'s task');
    expect(tasks[0]).toMatchObject({ kind: 'approval', recordType: 'bill', recordId: bill.id });

    const url = await decisionLink(c.approver.email, bill.number);
    const shown = await page(url);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain(bill.number);
    expect(shown.html).toContain(c.vendor.name);
    expect(shown.html).toContain('CA$1,250.00');
    expect(shown.html).toContain('December 31, 2026');
    expect(shown.html).toContain('1 of 1');
    expect(shown.html).toContain('PO &lt;b&gt;77&lt;/b&gt;');
    expect(shown.html).toContain('Vendor');
    expect(shown.html).not.toContain('Customer');
    expect(shown.html).toContain('name="decision" value="approve"');

    const approved = await page(url, { decision: 'approve', comment: 'Budgeted' });
    expect(approved.status).toBe(200);
    expect(approved.html).toContain(`Done: you approved bill ${bill.number}`);
    const view = await until(async () => (await c.creator.http.get(`/v1/bills/${bill.id}/approval`)).body, (v) => v.status === 'approved', 'approved');
    expect(view).toMatchObject({ decisions: [{ step: 1, decision: 'approved', decidedBy: { id: c.approver.id }, via: 'email', comment: 'Budgeted' }] });
    expect((await page(url)).status).toBe(410);

    const paid = await c.tenant.admin.post(`/v1/bills/${bill.id}/pay`, {});
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ balance: '0.00', approvalStatus: 'approved' });

    const got = await until(async () => receiver.at(`/bills-${c.tenant.companyId}`), (r) => r.length === 2, 'bill.approval.requested and .decided');
    const events = got.map((r) => JSON.parse(r.body));
    expect(events).toEqual([
      expect.objectContaining({ type: 'bill.approval.requested', companyId: c.tenant.companyId, data: expect.objectContaining({ billId: bill.id, billNumber: bill.number, step: 1, stepCount: 1 }) }),
      expect.objectContaining({ type: 'bill.approval.decided', data: expect.objectContaining({ billId: bill.id, outcome: 'approved', decision: 'approved', decidedBy: c.approver.id }) }),
    ]);
    for (const r of got) expect(verifyWebhookSignature(hook.body.secret, r.body, r.signature, Math.floor(Date.now() / 1000))).toBe(true);
  });

  it('rejected with a reason through the API: not payable, edited and submitted again as a new run', async () => {
    const c = await billCompany(http);
    const bill = await createBill(c);
    expect((await c.creator.http.post(`/v1/bills/${bill.id}/submit-for-approval`)).status).toBe(200);

    const noReason = await c.approver.http.post(`/v1/bills/${bill.id}/reject`, {});
    expect(noReason.status).toBe(400);
    const rejected = await c.approver.http.post(`/v1/bills/${bill.id}/reject`, { reason: 'Wrong vendor' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', decisions: [{ decision: 'rejected', decidedBy: { id: c.approver.id }, comment: 'Wrong vendor' }] });
    expect((await c.approver.http.post(`/v1/bills/${bill.id}/approve`, {})).status).toBe(409);
    expect((await c.tenant.admin.post(`/v1/bills/${bill.id}/pay`, {})).status).toBe(409);

    expect((await c.creator.http.patch(`/v1/bills/${bill.id}`, { memo: 'Right vendor now' })).status).toBe(200);
    const again = await c.creator.http.post(`/v1/bills/${bill.id}/submit-for-approval`);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'pending_approval', submission: 2, workflowId: `bill-approval-${bill.id}-2` });
    // Editing the amount of a pending bill cancels its run: it goes back to its creator.
    const edited = await c.creator.http.patch(`/v1/bills/${bill.id}`, { amount: '1300.00' });
    expect(edited.body.approvalStatus).toBe('approval_required');
    expect((await c.approver.http.post(`/v1/bills/${bill.id}/approve`, {})).status).toBe(409);
  });

  it('a bill\'s approval task names the bill routes; editing a pending bill cancels its run as "bill edited"', async () => {
    const c = await billCompany(http);
    const bill = await createBill(c);
    expect((await c.creator.http.post(`/v1/bills/${bill.id}/submit-for-approval`)).status).toBe(200);
    const [task] = await until(() => tasksOf(c.approver, 'open', bill.id), (t) => t.length === 1, 'the approver\'s task');
    const complete = await c.approver.http.post(`/v1/tasks/${task.id}/complete`, {});
    expect(complete.status).toBe(409);
    expect(complete.body.message).toBe(
      `task ${task.id} is an approval task: it closes when the bill is approved or rejected (POST /v1/bills/${bill.id}/approve or /reject)`,
    );

    expect((await c.creator.http.patch(`/v1/bills/${bill.id}`, { amount: '1300.00' })).status).toBe(200);
    const workflowId = `bill-approval-${bill.id}-1`;
    const history = await until(() => temporalCli(['workflow', 'show', '--workflow-id', workflowId]),
      (h) => JSON.stringify(h).includes('WORKFLOW_EXECUTION_COMPLETED') || JSON.stringify(h).includes('WorkflowExecutionCompleted'), 'the cancelled run');
    // The CLI prints payloads base64-encoded or decoded, by version: both are read.
    const raw = JSON.stringify(history);
    const decoded = [...raw.matchAll(/"data":"([A-Za-z0-9+/=]+)"/g)].map((m) => Buffer.from(m[1], 'base64').toString('utf8')).join('\n');
    expect(`${raw}\n${decoded}`).toContain('bill edited');
    expect(`${raw}\n${decoded}`).not.toContain('invoice edited');
  });

  it('another tenant\'s bill is a 404 on every route, a non-approver gets 403, the creator may not decide', async () => {
    const c = await billCompany(http);
    const other = await billCompany(http);
    const bill = await createBill(c);
    for (const [path, body] of [['submit-for-approval', {}], ['approve', {}], ['reject', { reason: 'no' }]] as const) {
      const res = await other.tenant.admin.post(`/v1/bills/${bill.id}/${path}`, body);
      expect(res.status).toBe(404);
      expect(res.body.message).toBe(`bill ${bill.id} not found`);
    }
    expect((await other.tenant.admin.get(`/v1/bills/${bill.id}/approval`)).status).toBe(404);
    expect((await c.creator.http.get('/v1/bills/not-an-id/approval')).status).toBe(400);

    expect((await c.outsider.http.post(`/v1/bills/${bill.id}/submit-for-approval`)).status).toBe(403);
    expect((await c.creator.http.post(`/v1/bills/${bill.id}/submit-for-approval`)).status).toBe(200);
    const outsider = await c.outsider.http.post(`/v1/bills/${bill.id}/approve`, {});
    expect(outsider.status).toBe(403);
    expect((await c.creator.http.post(`/v1/bills/${bill.id}/approve`, {})).status).toBe(403);
    expect((await c.creator.http.get(`/v1/bills/${bill.id}/approval`)).body).toMatchObject({ status: 'pending_approval', decisions: [] });
    const decisions = await sql('SELECT d.id FROM approval_decisions d JOIN approvals a ON a.id = d.approval_id WHERE a.bill_id = $1', [bill.id]);
    expect(decisions).toEqual([]);
  });
});
