import { Client, Connection } from '@temporalio/client';
import { approvalCompany, type ApprovalCompany, createLargeInvoice, outcomeNotified, tasksOf } from '../support/approval';
import { closeDb, sql } from '../support/db';
import { testEnv } from '../support/env';
import { createTenant, createUser } from '../support/fixtures';
import { Http } from '../support/http';
import { mailsTo, waitForMails } from '../support/mail';
import { Stack } from '../support/stack';
import { until } from '../support/until';

const LINK = /https?:\/\/[^\s]+\/approvals\/([A-Za-z0-9_-]{43})/;

/** The decision link of the latest approval email to `email` about `number`. */
async function decisionLink(email: string, number: string): Promise<string> {
  const mails = (await waitForMails(email, 1)).filter((m) => m.subject.includes(number));
  const match = mails[mails.length - 1]?.text.match(LINK);
  if (!match) throw new Error(`no decision link in the emails to ${email} about ${number}`);
  return match[0];
}

async function page(url: string, form?: Record<string, string>) {
  const res = await fetch(url, form
    ? { method: 'POST', body: new URLSearchParams(form), headers: { 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' }
    : { redirect: 'manual' });
  return { status: res.status, html: await res.text() };
}

async function submitted(c: ApprovalCompany): Promise<{ id: string; number: string }> {
  const invoice = await createLargeInvoice(c);
  const res = await c.creator.http.post(`/v1/invoices/${invoice.id}/submit-for-approval`);
  if (res.status !== 200) throw new Error(`submit failed: ${res.status} ${JSON.stringify(res.body)}`);
  return invoice;
}

/** The delegation signals a run received, read from its history. */
async function delegationSignals(workflowId: string): Promise<number> {
  const connection = await Connection.connect({ address: testEnv().temporalAddress });
  try {
    const history = await new Client({ connection, namespace: testEnv().temporalNamespace }).workflow.getHandle(workflowId).fetchHistory();
    return (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'delegation').length;
  } finally {
    await connection.close();
  }
}

/**
 * Offboarding an approver (deactivate, hand over, reactivate) and delegations that tell only the runs they concern,
 * through the real API, worker, Temporal, Postgres and SMTP listener.
 */
describe('approver offboarding and delegation signals', () => {
  const stack = new Stack('approval-offboarding');
  let http: Http;

  beforeAll(async () => {
    await stack.start();
    http = new Http(stack.baseUrl);
  });
  afterAll(async () => {
    await closeDb();
    await stack.stop();
  });

  it('deactivation with a pending seat: 409 naming the invoice without handoverTo; with it the seat moves, the old link is a 410, the new holder approves', async () => {
    const c = await approvalCompany(http);
    const invoice = await submitted(c);
    const oldLink = await decisionLink(c.approver.email, invoice.number);
    expect((await page(oldLink)).status).toBe(200);

    const refused = await c.tenant.admin.post(`/v1/users/${c.approver.id}/deactivate`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain(invoice.number);
    expect((await c.approver.http.get('/v1/users/me')).status).toBe(200);

    const done = await c.tenant.admin.post(`/v1/users/${c.approver.id}/deactivate`, { handoverTo: c.outsider.id });
    expect(done.status).toBe(200);
    expect(done.body.user).toMatchObject({ id: c.approver.id, status: 'inactive' });
    expect(done.body.handedOver).toEqual([expect.objectContaining({ invoiceId: invoice.id, invoiceNumber: invoice.number })]);
    expect(done.body.definitions).toEqual([expect.objectContaining({ id: c.definitionId, name: 'Large invoices' })]);

    expect((await c.approver.http.get('/v1/users/me')).status).toBe(401);
    await until(() => tasksOf(c.outsider, 'open', invoice.id), (t) => t.length === 1, 'the new holder\'s task');
    const gone = await page(oldLink);
    expect(gone.status).toBe(410);
    expect(gone.html).toContain('deactivated');
    expect(gone.html).not.toContain('name="decision"');
    expect((await page(oldLink, { decision: 'approve' })).status).toBe(410);

    const newLink = await decisionLink(c.outsider.email, invoice.number);
    expect((await page(newLink, { decision: 'approve' })).status).toBe(200);
    expect((await c.creator.http.get(`/v1/invoices/${invoice.id}`)).body.approvalStatus).toBe('approved');
    expect((await c.creator.http.get(`/v1/invoices/${invoice.id}/approval`)).body.decisions)
      .toEqual([expect.objectContaining({ decidedBy: expect.objectContaining({ id: c.outsider.id }) })]);

    // Never asked again: the only approver of the definition is inactive, so a new submission has nobody to ask.
    const next = await createLargeInvoice(c);
    const again = await c.creator.http.post(`/v1/invoices/${next.id}/submit-for-approval`);
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('no remaining approver');
    expect((await c.tenant.admin.get(`/v1/users/${c.approver.id}`)).body.status).toBe('inactive');
  });

  it('handoverTo must be an active user of the company who did not create an invoice whose seat they would receive', async () => {
    const c = await approvalCompany(http);
    const invoice = await submitted(c);
    const other = await createTenant(http);
    expect((await c.tenant.admin.post(`/v1/users/${c.approver.id}/deactivate`, { handoverTo: other.adminId })).status).toBe(404);
    const creator = await c.tenant.admin.post(`/v1/users/${c.approver.id}/deactivate`, { handoverTo: c.creator.id });
    expect(creator.status).toBe(409);
    expect(creator.body.message).toContain(invoice.number);
    expect((await c.tenant.admin.post(`/v1/users/${c.watcher.id}/deactivate`, {})).status).toBe(200);
    expect((await c.tenant.admin.post(`/v1/users/${c.approver.id}/deactivate`, { handoverTo: c.watcher.id })).status).toBe(409);
    expect((await c.tenant.admin.get(`/v1/users/${c.approver.id}`)).body.status).toBe('active');
  });

  it('admins only; another company\'s user is a 404; nobody deactivates themselves or the last active admin; reactivation brings no key back', async () => {
    const c = await approvalCompany(http);
    const other = await createTenant(http);
    expect((await c.approver.http.post(`/v1/users/${c.outsider.id}/deactivate`, {})).status).toBe(403);
    expect((await c.tenant.admin.post(`/v1/users/${other.adminId}/deactivate`, {})).status).toBe(404);
    expect((await c.tenant.admin.post(`/v1/users/${other.adminId}/reactivate`, {})).status).toBe(404);
    const self = await c.tenant.admin.post(`/v1/users/${c.tenant.adminId}/deactivate`, {});
    expect(self.status).toBe(409);

    const second = await createUser(c.tenant, 'admin', 'Bea');
    expect((await second.http.post(`/v1/users/${c.tenant.adminId}/deactivate`, {})).status).toBe(200);
    expect((await c.tenant.admin.get('/v1/users/me')).status).toBe(401);
    expect((await second.http.post(`/v1/users/${c.tenant.adminId}/deactivate`, {})).status).toBe(409);
    const back = await second.http.post(`/v1/users/${c.tenant.adminId}/reactivate`, {});
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ id: c.tenant.adminId, status: 'active' });
    expect((await second.http.post(`/v1/users/${c.tenant.adminId}/reactivate`, {})).status).toBe(409);
    // Keys revoked at deactivation stay revoked; a new one works.
    expect((await c.tenant.admin.get('/v1/users/me')).status).toBe(401);
    const keys = await second.http.get(`/v1/users/${c.tenant.adminId}/api-keys`);
    expect(keys.body.data.length).toBeGreaterThan(0);
    expect(keys.body.data.every((k: { revokedAt: string | null }) => k.revokedAt !== null)).toBe(true);
    const fresh = await second.http.post(`/v1/users/${c.tenant.adminId}/api-keys`);
    expect(fresh.status).toBe(201);
    const ada = second.http.as(fresh.body.apiKey);
    expect((await ada.get('/v1/users/me')).body).toMatchObject({ status: 'active' });

    // Two admins deactivating each other at once: one wins, the other is refused, one active admin remains.
    const answers = await Promise.all([
      ada.post(`/v1/users/${second.id}/deactivate`, {}),
      second.http.post(`/v1/users/${c.tenant.adminId}/deactivate`, {}),
    ]);
    // The loser is refused either way: a 409 when its request waited on the lock, a 401 when it authenticated after the
    // winner had deactivated it (its key no longer belongs to an active user).
    const [won, lost] = [...answers].sort((a, b) => a.status - b.status);
    expect(won.status).toBe(200);
    expect([401, 409]).toContain(lost.status);
    if (lost.status === 409) expect(lost.body.message).toContain('last active admin');
    const [{ n }] = await sql<{ n: string }>(`SELECT count(*)::text AS n FROM users WHERE company_id = $1 AND role = 'admin' AND status = 'active'`, [c.tenant.companyId]);
    expect(n).toBe('1');
  });

  it('deactivation ends delegations to the user (the seats come back to their delegators) and the user\'s own', async () => {
    const c = await approvalCompany(http);
    const from = new Date(Date.now() - 60_000).toISOString();
    const until_ = new Date(Date.now() + 3 * 86_400_000).toISOString();
    expect((await c.approver.http.put('/v1/users/me/delegation', { delegateId: c.watcher.id, from, until: until_ })).status).toBe(200);
    const invoice = await submitted(c);
    await until(() => tasksOf(c.watcher, 'open', invoice.id), (t) => t.length === 1, 'the delegate\'s task');
    expect((await c.tenant.admin.post(`/v1/users/${c.watcher.id}/deactivate`, {})).status).toBe(200);
    await until(() => tasksOf(c.approver, 'open', invoice.id), (t) => t.length === 1, 'the task back with its approver');
    expect((await c.approver.http.get('/v1/users/me/delegation')).status).toBe(404);
    expect((await c.approver.http.put('/v1/users/me/delegation', { delegateId: c.watcher.id, from, until: until_ })).status).toBe(409);

    // The deactivated watcher is no longer told of the outcome; the creator is.
    expect((await c.approver.http.post(`/v1/invoices/${invoice.id}/approve`, {})).status).toBe(200);
    await outcomeNotified(invoice.id);
    const decided = `Invoice ${invoice.number} was approved`;
    expect((await mailsTo(c.creator.email)).filter((m) => m.subject === decided)).toHaveLength(1);
    expect((await mailsTo(c.watcher.email)).filter((m) => m.subject === decided)).toHaveLength(0);
  });

  it('delegation toggled 5 times: the delegate gets one email per request, and a run where the delegator holds no seat gets no signal', async () => {
    const c = await approvalCompany(http, (ids) => ({ type: 'approval', steps: [{ approverIds: [ids.approver] }] }));
    const mine = await submitted(c);
    // A run of the same company that does not concern the approver: another definition, another approver.
    expect((await c.tenant.admin.post(`/v1/workflows/${c.definitionId}/deactivate`)).status).toBe(200);
    const elsewhere = await c.tenant.admin.post('/v1/workflows', {
      templateKey: 'invoice-approval', name: 'Others', conditions: [{ field: 'amount', op: 'gt', value: '1000.00' }],
      actions: [{ type: 'approval', approverIds: [c.watcher.id] }], activate: true,
    });
    expect(elsewhere.status).toBe(201);
    const huge = await submitted(c);
    const [{ workflow_id: hugeRun }] = await sql<{ workflow_id: string }>('SELECT workflow_id FROM approvals WHERE invoice_id = $1', [huge.id]);
    const [{ workflow_id: mineRun, steps }] = await sql<{ workflow_id: string; steps: { approverIds: string[] }[] }>(
      'SELECT workflow_id, steps FROM approvals WHERE invoice_id = $1', [mine.id]);
    expect(steps[0].approverIds).toEqual([c.approver.id]);
    await waitForMails(c.approver.email, 1);

    const from = new Date(Date.now() - 60_000).toISOString();
    const until_ = new Date(Date.now() + 3 * 86_400_000).toISOString();
    for (let i = 0; i < 5; i += 1) {
      expect((await c.approver.http.put('/v1/users/me/delegation', { delegateId: c.outsider.id, from, until: until_ })).status).toBe(200);
      await until(() => tasksOf(c.outsider, 'open', mine.id), (t) => t.length === 1, 'the delegate\'s task');
      expect((await c.approver.http.delete('/v1/users/me/delegation')).status).toBe(204);
      await until(() => tasksOf(c.approver, 'open', mine.id), (t) => t.length === 1, 'the approver\'s task, back');
    }
    await until(() => delegationSignals(mineRun), (n) => n === 10, 'ten delegation signals to the approver\'s run');
    expect((await mailsTo(c.outsider.email)).filter((m) => m.subject.includes(mine.number))).toHaveLength(1);
    expect(await delegationSignals(hugeRun)).toBe(0);
  });
});
