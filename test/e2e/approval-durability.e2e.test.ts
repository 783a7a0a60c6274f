import { approvalCompany, ApprovalCompany, createLargeInvoice, Member, notificationsAbout, outcomeNotified, tasksOf } from '../support/approval';
import { closeDb, sql } from '../support/db';
import { Http } from '../support/http';
import { mailsTo, waitForMails } from '../support/mail';
import { Stack } from '../support/stack';
import { until } from '../support/until';

/**
 * The decision is durable: the worker process is stopped (drained with SIGTERM, or killed) between the
 * submission and the decision, a new one takes over, and the outcome is the same with nothing sent twice.
 */
describe('approval durability across worker restarts', () => {
  const stack = new Stack('approval-durability');
  let http: Http;

  beforeAll(async () => {
    await stack.start();
    http = new Http(stack.baseUrl);
  });
  afterAll(async () => {
    await closeDb();
    await stack.stop();
  });

  /** Two approvers (any one decides), a watcher told by email and push. */
  const company = () => approvalCompany(http, (ids) => ({ type: 'approval', approverIds: [ids.approver, ids.outsider] }));

  const requestSeen = (c: ApprovalCompany, invoiceId: string) => Promise.all([
    until(() => tasksOf(c.approver, 'open', invoiceId), (t) => t.length === 1, 'the approver\'s task'),
    until(() => tasksOf(c.outsider, 'open', invoiceId), (t) => t.length === 1, 'the second approver\'s task'),
    waitForMails(c.approver.email, 1),
    waitForMails(c.outsider.email, 1),
    waitForMails(c.watcher.email, 1),
    // Every push of the request too: a request notice a killed worker had not finished goes to another worker only
    // once its 30-second start-to-close timeout has passed, after these checks.
    ...[c.approver, c.outsider, c.watcher].map((m) => until(() => notificationsAbout(m, invoiceId), (n) => n.length === 1, `${m.email}'s notification`)),
  ]);

  /** What a finished approval leaves behind, counted at the SMTP listener, through the API and in the database. */
  async function expectApprovedOnce(c: ApprovalCompany, invoice: { id: string; number: string }) {
    const requested = `Approval needed: invoice ${invoice.number} for ${c.customer.name}`;
    const decided = `Invoice ${invoice.number} was approved`;
    const subjects = async (m: Member) => (await mailsTo(m.email)).map((mail) => mail.subject).sort();
    const titles = async (m: Member) => (await notificationsAbout(m, invoice.id)).map((n) => n.title).sort();
    await outcomeNotified(invoice.id);

    expect((await c.creator.http.get(`/v1/invoices/${invoice.id}`)).body.approvalStatus).toBe('approved');
    expect(await subjects(c.approver)).toEqual([requested]);
    expect(await subjects(c.outsider)).toEqual([requested]);
    expect(await subjects(c.watcher)).toEqual([requested, decided]);
    expect(await subjects(c.creator)).toEqual([decided]);
    expect(await titles(c.approver)).toEqual([requested]);
    expect(await titles(c.outsider)).toEqual([requested]);
    expect(await titles(c.watcher)).toEqual([requested, decided]);
    expect(await titles(c.creator)).toEqual([decided]);

    const tasks = await sql<{ assignee_id: string; status: string }>(
      `SELECT assignee_id, status FROM tasks WHERE record_id = $1 ORDER BY assignee_id`, [invoice.id]);
    expect(tasks).toEqual([c.approver.id, c.outsider.id].sort().map((id) => ({ assignee_id: id, status: 'completed' })));
    const deliveries = await sql<{ channel: string; n: number }>(
      `SELECT channel, count(*)::int AS n FROM deliveries WHERE record_id = $1 AND status = 'sent' GROUP BY channel ORDER BY channel`, [invoice.id]);
    // email: 3 requests + 2 outcomes; push: the same; task: one per approver.
    expect(deliveries).toEqual([{ channel: 'email', n: 5 }, { channel: 'push', n: 5 }, { channel: 'task', n: 2 }]);
    const decisions = await sql<{ decision: string }>(
      'SELECT d.decision FROM approval_decisions d JOIN approvals a ON a.id = d.approval_id WHERE a.invoice_id = $1', [invoice.id]);
    expect(decisions).toEqual([{ decision: 'approved' }]);
  }

  it('drains the worker with SIGTERM right after the submission; a new worker finishes the approval', async () => {
    const c = await company();
    const invoice = await createLargeInvoice(c);
    expect((await c.creator.http.post(`/v1/invoices/${invoice.id}/submit-for-approval`)).body.status).toBe('pending_approval');
    expect(await stack.stopWorker('SIGTERM')).toBe(0);
    await stack.startWorker();
    await requestSeen(c, invoice.id);

    const approved = await c.approver.http.post(`/v1/invoices/${invoice.id}/approve`, {});
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
    await expectApprovedOnce(c, invoice);
  });

  it('survives a SIGKILL of the worker while the run waits; the new worker replays it and records the decision once', async () => {
    const c = await company();
    const invoice = await createLargeInvoice(c);
    await c.creator.http.post(`/v1/invoices/${invoice.id}/submit-for-approval`);
    await requestSeen(c, invoice.id);
    await stack.stopWorker('SIGKILL');
    await stack.startWorker();

    const approved = await c.approver.http.post(`/v1/invoices/${invoice.id}/approve`, { comment: 'after the crash' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', decisions: [{ decision: 'approved', comment: 'after the crash' }] });
    await expectApprovedOnce(c, invoice);
  });

  it('keeps a decision sent while no worker runs: the API answers once a new worker has recorded it', async () => {
    const c = await company();
    const invoice = await createLargeInvoice(c);
    await c.creator.http.post(`/v1/invoices/${invoice.id}/submit-for-approval`);
    await requestSeen(c, invoice.id);
    await stack.stopWorker('SIGKILL');

    const approving = c.approver.http.post(`/v1/invoices/${invoice.id}/approve`, {});
    await stack.startWorker();
    const approved = await approving;
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
    await expectApprovedOnce(c, invoice);
  });
});
