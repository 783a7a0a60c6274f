import {
  approvalCompany, ApprovalCompany, createLargeInvoice, notificationsAbout, outcomeNotified, tasksOf, temporalCli, workflowIdsMatching,
} from '../support/approval';
import { closeDb } from '../support/db';
import { Http } from '../support/http';
import { mailsTo, waitForMails } from '../support/mail';
import { Stack } from '../support/stack';
import { until } from '../support/until';

/**
 * Invoice approval (submit, approve, reject, send only once approved) through the real API and worker processes,
 * Postgres, the Temporal dev server (and its CLI) and the SMTP listener. Every test works in a company of its own.
 */
describe('invoice approval', () => {
  const stack = new Stack('invoice-approval');
  let http: Http;

  beforeAll(async () => {
    await stack.start();
    http = new Http(stack.baseUrl);
  });
  afterAll(async () => {
    await closeDb();
    await stack.stop();
  });

  const approvalOf = async (c: ApprovalCompany, invoiceId: string) => (await c.creator.http.get(`/v1/invoices/${invoiceId}/approval`)).body;
  const statusOf = async (c: ApprovalCompany, invoiceId: string) => (await c.tenant.admin.get(`/v1/invoices/${invoiceId}`)).body.approvalStatus;

  /** Submits, then waits until the worker has opened the approver's task (the run's first activities are done). */
  async function submitted(c: ApprovalCompany, invoiceId: string) {
    const res = await c.creator.http.post(`/v1/invoices/${invoiceId}/submit-for-approval`);
    expect(res.status).toBe(200);
    await until(() => tasksOf(c.approver, 'open', invoiceId), (t) => t.length === 1, 'the approval task');
    return res.body;
  }

  it('runs the seed: approval_required, send refused, submit, task and notifications, approve, send', async () => {
    const c = await approvalCompany(http);
    const invoice = await createLargeInvoice(c);
    expect(invoice).toMatchObject({ approvalStatus: 'approval_required', createdBy: c.creator.id, amount: '1250.00' });

    const refused = await c.creator.http.post(`/v1/invoices/${invoice.id}/send`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ statusCode: 409, message: `invoice ${invoice.number} is approval_required and cannot be sent until approved` });
    expect(await mailsTo(c.customer.email)).toEqual([]);

    const submit = await c.creator.http.post(`/v1/invoices/${invoice.id}/submit-for-approval`);
    expect(submit.status).toBe(200);
    expect(submit.body).toMatchObject({
      invoiceId: invoice.id, status: 'pending_approval', submission: 1, workflowId: `invoice-approval-${invoice.id}-1`, currentStep: 1,
      approvers: [{ id: c.approver.id, name: 'Avery' }], definitionId: c.definitionId, decisions: [],
    });
    expect(await statusOf(c, invoice.id)).toBe('pending_approval');
    expect((await c.creator.http.post(`/v1/invoices/${invoice.id}/send`)).status).toBe(409);

    const open = await until(async () => (await c.approver.http.get('/v1/tasks?assignee=me&status=open')).body.data as { recordId: string }[],
      (t) => t.length === 1, 'the approver\'s open task');
    expect(open[0]).toMatchObject({ kind: 'approval', recordType: 'invoice', recordId: invoice.id, title: `Approve invoice ${invoice.number}` });

    const requested = `Approval needed: invoice ${invoice.number} for ${c.customer.name}`;
    expect((await waitForMails(c.watcher.email, 1)).map((m) => m.subject)).toEqual([requested]);
    expect((await waitForMails(c.approver.email, 1)).map((m) => m.subject)).toEqual([requested]);
    expect((await until(() => notificationsAbout(c.watcher, invoice.id), (n) => n.length > 0, 'the watcher\'s notification')).map((n) => n.title))
      .toEqual([requested]);

    const approved = await c.approver.http.post(`/v1/invoices/${invoice.id}/approve`, { comment: 'matches the PO' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'approved', currentStep: null, steps: [{ step: 1, status: 'approved' }],
      decisions: [{ submission: 1, step: 1, decision: 'approved', by: { id: c.approver.id, name: 'Avery' }, comment: 'matches the PO' }],
    });
    expect(await statusOf(c, invoice.id)).toBe('approved');

    expect((await c.approver.http.get('/v1/tasks?assignee=me&status=open')).body.data).toEqual([]);
    expect(await tasksOf(c.approver, 'completed', invoice.id)).toMatchObject([{ completedBy: c.approver.id }]);

    const decided = `Invoice ${invoice.number} was approved`;
    await outcomeNotified(invoice.id);
    expect((await mailsTo(c.creator.email)).map((m) => m.subject)).toEqual([decided]);
    expect((await notificationsAbout(c.creator, invoice.id)).map((n) => n.title)).toEqual([decided]);
    expect((await mailsTo(c.watcher.email)).map((m) => m.subject).sort()).toEqual([requested, decided]);

    const sent = await c.creator.http.post(`/v1/invoices/${invoice.id}/send`);
    expect(sent.status).toBe(200);
    expect(sent.body.sentAt).toEqual(expect.any(String));
    expect(await waitForMails(c.customer.email, 1)).toHaveLength(1);
  });

  it('speaks the company\'s language: tasks and outcome notices in French for an fr-CA company', async () => {
    const c = await approvalCompany(http);
    expect((await c.tenant.admin.patch('/v1/companies/me', { locale: 'fr-CA' })).status).toBe(200);
    const invoice = await createLargeInvoice(c);
    expect((await c.creator.http.post(`/v1/invoices/${invoice.id}/submit-for-approval`)).status).toBe(200);
    const open = await until(() => tasksOf(c.approver, 'open', invoice.id), (t) => t.length === 1, 'the approver\'s task');
    expect(open[0].title).toBe(`Approuver la facture ${invoice.number}`);
    expect((await c.approver.http.post(`/v1/invoices/${invoice.id}/approve`, {})).status).toBe(200);
    const mails = await waitForMails(c.creator.email, 1);
    expect(mails.map((m) => m.subject)).toEqual([`La facture ${invoice.number} a été approuvée`]);
    expect(mails[0].text).toMatch(/1\s250,00\s\$/);
  });

  it('leaves invoices of admins, and invoices no definition matches, not_required', async () => {
    const c = await approvalCompany(http);
    const byAdmin = await createLargeInvoice(c, c.tenant.admin, '5000.00');
    const small = await createLargeInvoice(c, c.creator.http, '1000.00');
    expect(byAdmin.approvalStatus).toBe('not_required');
    expect(small.approvalStatus).toBe('not_required');

    const submit = await c.creator.http.post(`/v1/invoices/${small.id}/submit-for-approval`);
    expect(submit.status).toBe(409);
    expect(submit.body.message).toContain('does not need approval');
    expect((await c.creator.http.post(`/v1/invoices/${small.id}/send`)).status).toBe(200);
    expect((await c.tenant.admin.post(`/v1/invoices/${byAdmin.id}/send`)).status).toBe(200);
  });

  it('rejects with a reason only; the creator edits and submits again as run -2; the trail keeps both', async () => {
    const c = await approvalCompany(http);
    const invoice = await createLargeInvoice(c);
    await submitted(c, invoice.id);

    for (const body of [undefined, {}, { reason: '  ' }]) {
      const res = await c.approver.http.post(`/v1/invoices/${invoice.id}/reject`, body);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/reason/);
    }
    expect(await statusOf(c, invoice.id)).toBe('pending_approval');

    const rejected = await c.approver.http.post(`/v1/invoices/${invoice.id}/reject`, { reason: 'wrong customer' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', decisions: [{ decision: 'rejected', comment: 'wrong customer' }] });
    expect((await c.creator.http.post(`/v1/invoices/${invoice.id}/send`)).status).toBe(409);
    await outcomeNotified(invoice.id);
    expect((await mailsTo(c.creator.email)).map((m) => m.subject)).toEqual([`Invoice ${invoice.number} was rejected`]);

    const edited = await c.creator.http.patch(`/v1/invoices/${invoice.id}`, { amount: '1200.00' });
    expect(edited.status).toBe(200);
    expect(edited.body.approvalStatus).toBe('approval_required');

    const again = await submitted(c, invoice.id);
    expect(again).toMatchObject({ status: 'pending_approval', submission: 2, workflowId: `invoice-approval-${invoice.id}-2` });
    const approved = await c.approver.http.post(`/v1/invoices/${invoice.id}/approve`, {});
    expect(approved.body.status).toBe('approved');

    const trail = await approvalOf(c, invoice.id);
    expect(trail).toMatchObject({ status: 'approved', submission: 2, workflowId: `invoice-approval-${invoice.id}-2` });
    expect(trail.decisions.map((d: { submission: number; decision: string; comment: string | null }) => [d.submission, d.decision, d.comment]))
      .toEqual([[1, 'rejected', 'wrong customer'], [2, 'approved', null]]);
    const runs = await until(() => workflowIdsMatching(`InvoiceId='${invoice.id}' AND ExecutionStatus='Completed'`), (ids) => ids.length >= 2, 'both runs');
    expect(runs.sort()).toEqual([`invoice-approval-${invoice.id}-1`, `invoice-approval-${invoice.id}-2`]);
  });

  it('answers 403 to a non-approver, 409 when not pending, 404 for another company\'s invoice', async () => {
    const c = await approvalCompany(http);
    const other = await approvalCompany(http);
    const invoice = await createLargeInvoice(c);

    const early = await c.approver.http.post(`/v1/invoices/${invoice.id}/approve`, {});
    expect(early.status).toBe(409);
    expect(early.body.message).toContain('is not pending approval');

    await submitted(c, invoice.id);
    for (const stranger of [c.outsider.http, c.watcher.http, c.creator.http, c.tenant.admin]) {
      const res = await stranger.post(`/v1/invoices/${invoice.id}/approve`, {});
      expect(res.status).toBe(403);
      // The creator is refused first for being the creator (no self-approval).
      expect(res.body.message).toContain(stranger === c.creator.http ? 'may not decide it (no self-approval)' : 'is not an approver');
    }
    expect((await c.outsider.http.post(`/v1/invoices/${invoice.id}/reject`, { reason: 'no' })).status).toBe(403);

    for (const [path, body] of [['approve', {}], ['reject', { reason: 'not mine' }], ['submit-for-approval', undefined]] as const) {
      const res = await other.approver.http.post(`/v1/invoices/${invoice.id}/${path}`, body);
      expect(res.status).toBe(404);
      expect(res.body.message).toBe(`invoice ${invoice.id} not found`);
    }
    expect((await other.tenant.admin.get(`/v1/invoices/${invoice.id}/approval`)).status).toBe(404);
    expect(await statusOf(c, invoice.id)).toBe('pending_approval');

    expect((await c.approver.http.post(`/v1/invoices/${invoice.id}/approve`, {})).body.status).toBe('approved');
    const late = await c.approver.http.post(`/v1/invoices/${invoice.id}/reject`, { reason: 'changed my mind' });
    expect(late.status).toBe(409);
    expect((await approvalOf(c, invoice.id)).decisions).toHaveLength(1);
  });

  it('makes one run of submissions that race', async () => {
    const c = await approvalCompany(http);
    const invoice = await createLargeInvoice(c);
    const results = await Promise.all([1, 2, 3].map(() => c.creator.http.post(`/v1/invoices/${invoice.id}/submit-for-approval`)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    expect(results.find((r) => r.status === 200)!.body).toMatchObject({ status: 'pending_approval', submission: 1 });
    await until(() => tasksOf(c.approver, 'open', invoice.id), (t) => t.length === 1, 'the approval task');
    expect((await c.approver.http.post(`/v1/invoices/${invoice.id}/approve`, {})).body).toMatchObject({ status: 'approved', submission: 1 });
    expect((await approvalOf(c, invoice.id)).decisions).toHaveLength(1);
  });

  it('ends the run of a pending invoice that is edited: approval_required again, its task cancelled', async () => {
    const c = await approvalCompany(http);
    const invoice = await createLargeInvoice(c);
    await submitted(c, invoice.id);

    const edited = await c.creator.http.patch(`/v1/invoices/${invoice.id}`, { memo: 'PO 4471' });
    expect(edited.status).toBe(200);
    expect(edited.body.approvalStatus).toBe('approval_required');

    await until(() => tasksOf(c.approver, 'cancelled', invoice.id), (t) => t.length === 1, 'the cancelled task');
    expect(await tasksOf(c.approver, 'open', invoice.id)).toEqual([]);
    const described = await temporalCli(['workflow', 'describe', '--workflow-id', `invoice-approval-${invoice.id}-1`]);
    expect(described.workflowExecutionInfo.status).toBe('WORKFLOW_EXECUTION_STATUS_COMPLETED');
    expect(await approvalOf(c, invoice.id)).toMatchObject({
      status: 'approval_required', steps: [{ status: 'cancelled' }], decisions: [{ decision: 'cancelled', by: { id: c.creator.id } }],
    });
    expect((await c.approver.http.post(`/v1/invoices/${invoice.id}/approve`, {})).status).toBe(409);
    expect((await c.creator.http.post(`/v1/invoices/${invoice.id}/send`)).status).toBe(409);

    const again = await submitted(c, invoice.id);
    expect(again.workflowId).toBe(`invoice-approval-${invoice.id}-2`);
  });

  it('lets an SRE find the run by InvoiceId and ApprovalStatus, and decide it with `temporal workflow signal`', async () => {
    const c = await approvalCompany(http);
    const invoice = await createLargeInvoice(c);
    await submitted(c, invoice.id);
    const workflowId = `invoice-approval-${invoice.id}-1`;

    expect(await until(() => workflowIdsMatching(`InvoiceId='${invoice.id}'`), (ids) => ids.length === 1, 'the run by InvoiceId')).toEqual([workflowId]);
    expect(await until(() => workflowIdsMatching(`CompanyId='${c.tenant.companyId}' AND ApprovalStatus='pending_approval'`),
      (ids) => ids.length === 1, 'the run by CompanyId and ApprovalStatus')).toEqual([workflowId]);

    // A signal from someone who may not decide is ignored: the run stays pending.
    await temporalCli(['workflow', 'signal', '--workflow-id', workflowId, '--name', 'approve', '--input', JSON.stringify({ userId: c.outsider.id, isAdmin: false })]);
    const ignored = await temporalCli(['workflow', 'query', '--workflow-id', workflowId, '--name', 'approvalState']);
    expect(ignored.queryResult[0]).toMatchObject({ status: 'pending', ignored: [{ userId: c.outsider.id, why: 'not_an_approver' }] });

    await temporalCli(['workflow', 'signal', '--workflow-id', workflowId, '--name', 'approve',
      '--input', JSON.stringify({ userId: c.approver.id, isAdmin: false, comment: 'approved from the CLI' })]);
    await until(() => statusOf(c, invoice.id), (s) => s === 'approved', 'the approval from the CLI signal');
    expect((await approvalOf(c, invoice.id)).decisions).toMatchObject([{ decision: 'approved', by: { id: c.approver.id }, comment: 'approved from the CLI' }]);
    expect(await tasksOf(c.approver, 'completed', invoice.id)).toHaveLength(1);

    expect(await until(() => workflowIdsMatching(`InvoiceId='${invoice.id}' AND ApprovalStatus='approved'`), (ids) => ids.length === 1,
      'the run by ApprovalStatus after the decision')).toEqual([workflowId]);
    expect(await workflowIdsMatching(`InvoiceId='${invoice.id}' AND ApprovalStatus='pending_approval'`)).toEqual([]);
  });

  it('refuses a downgrade to essentials while an invoice is pending, and allows it once decided', async () => {
    const c = await approvalCompany(http);
    const invoice = await createLargeInvoice(c);
    await submitted(c, invoice.id);

    const refused = await c.tenant.admin.patch('/v1/companies/me', { plan: 'essentials' });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('pending approval');
    expect((await c.tenant.admin.get('/v1/companies/me')).body.plan).toBe('advanced');

    expect((await c.approver.http.post(`/v1/invoices/${invoice.id}/approve`, {})).body.status).toBe('approved');
    const downgraded = await c.tenant.admin.patch('/v1/companies/me', { plan: 'essentials' });
    expect(downgraded.status).toBe(200);
    expect(downgraded.body.plan).toBe('essentials');
    expect((await c.tenant.admin.get(`/v1/workflows/${c.definitionId}`)).body.status).toBe('inactive');
  });
});
