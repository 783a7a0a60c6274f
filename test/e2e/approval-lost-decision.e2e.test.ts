import { ApprovalCompany, approvalStack, createLargeInvoice, outcomeNotified, tasksOf } from '../support/approval';
import { sql } from '../support/db';
import { mailsTo, waitForMails } from '../support/mail';
import { until } from '../support/until';

/**
 * A decision Postgres holds but the run never heard of. The `decide` Update's workflow task writes the decision (a local
 * activity) before the task completes; when the Temporal server dies in between, the task and the Update, which the
 * server keeps in memory until the task completes, are gone: the database says approved, the run still waits (its
 * history has no Update), its outcome is never told. The chaos soak left such a run open (`CHAOS_SEED=7
 * CHAOS_MINUTES=2 npm run test:chaos`, the second kill of the Temporal server). Here the database is put in that state
 * as the lost task left it; the approver's client, which got no answer, asks the same decision again, or nobody does
 * and the worker's look for lost decisions (every half second here, a minute by default) tells the run.
 */
describe('a decision recorded in Postgres whose Update the Temporal server lost', () => {
  let c: ApprovalCompany;
  const stack = approvalStack('approval-lost-decision', (company) => (c = company), { RELANCE_LOST_DECISION_INTERVAL_MS: '500' });

  /**
   * What the lost task's settleDecision committed, `ago` (a Postgres interval) before now, in one statement as it does:
   * the decision, the outcome on the approval and invoice, the tasks closed.
   */
  async function decidedInPostgresOnly(invoiceId: string, decision: 'approved' | 'rejected', comment: string, ago = '0 seconds') {
    await sql(`WITH approval AS (SELECT id FROM approvals WHERE invoice_id = $1),
         decision AS (INSERT INTO approval_decisions (approval_id, step, decision, user_id, comment, decided_at, closes_step, via)
                      SELECT id, 0, $2, $3, $4, now() - $5::interval, true, 'email' FROM approval),
         outcome AS (UPDATE approvals SET status = $2, decided_at = now() - $5::interval WHERE id = (SELECT id FROM approval)),
         document AS (UPDATE invoices SET approval_status = $2 WHERE id = $1)
       UPDATE tasks SET status = 'completed', completed_at = now(), completed_by = $3 WHERE approval_id = (SELECT id FROM approval) AND status = 'open'`,
    [invoiceId, decision, c.approver.id, comment, ago]);
  }

  it('the same decision asked again tells the run, which settles it once and tells the outcome', async () => {
    const invoice = await createLargeInvoice(c);
    expect((await c.creator.http.post(`/v1/invoices/${invoice.id}/submit-for-approval`)).status).toBe(200);
    await until(() => tasksOf(c.approver, 'open', invoice.id), (t) => t.length === 1, 'the approval task');
    await decidedInPostgresOnly(invoice.id, 'rejected', 'over budget');

    const again = await c.approver.http.post(`/v1/invoices/${invoice.id}/reject`, { reason: 'over budget' });
    expect([again.status, again.body.status ?? again.body.message]).toEqual([200, 'rejected']);
    await outcomeNotified(invoice.id);
    expect((await waitForMails(c.creator.email, 1)).map((m) => m.subject)).toEqual([`Invoice ${invoice.number} was rejected`]);
    const decisions = await sql('SELECT d.decision, d.comment FROM approval_decisions d JOIN approvals a ON a.id = d.approval_id WHERE a.invoice_id = $1', [invoice.id]);
    expect(decisions).toEqual([{ decision: 'rejected', comment: 'over budget' }]);
  });

  it('another decision, or another person\'s, is still refused as not pending', async () => {
    const invoice = await createLargeInvoice(c);
    expect((await c.creator.http.post(`/v1/invoices/${invoice.id}/submit-for-approval`)).status).toBe(200);
    await until(() => tasksOf(c.approver, 'open', invoice.id), (t) => t.length === 1, 'the approval task');
    await decidedInPostgresOnly(invoice.id, 'approved', 'fine');

    const other = await c.approver.http.post(`/v1/invoices/${invoice.id}/reject`, { reason: 'changed my mind' });
    expect([other.status, other.body.message]).toEqual([409, expect.stringMatching(/is not pending approval/)]);
    const outsider = await c.tenant.admin.post(`/v1/invoices/${invoice.id}/approve`, {});
    expect([outsider.status, outsider.body.message]).toEqual([409, expect.stringMatching(/is not pending approval/)]);
  });

  it('nobody asks again: a while after the decision the worker tells the run, which settles it once, as recorded, and tells the outcome', async () => {
    const invoice = await createLargeInvoice(c);
    expect((await c.creator.http.post(`/v1/invoices/${invoice.id}/submit-for-approval`)).status).toBe(200);
    await until(() => tasksOf(c.approver, 'open', invoice.id), (t) => t.length === 1, 'the approval task');
    await decidedInPostgresOnly(invoice.id, 'rejected', 'duplicate of INV-7', '3 minutes');
    // A look reads what became old enough since the one before (and five minutes more), a worker's first look the
    // last day: a decision recorded "3 minutes ago" only now may be behind the running worker's looks, so another
    // worker starts, whose first look finds it. (A look's windows: test/integration/unended-decisions.test.ts and the
    // reconciler's spec.)
    await stack.startWorker();

    // Runs other suites left in the shared database may come first in the look; each waits at most its call's deadline.
    await outcomeNotified(invoice.id, 1, { attempts: 600, intervalMs: 100 });
    const ofThisInvoice = async () => (await mailsTo(c.creator.email)).filter((m) => m.subject.includes(invoice.number));
    const mails = await until(ofThisInvoice, (m) => m.length > 0, 'the outcome email');
    expect(mails.map((m) => m.subject)).toEqual([`Invoice ${invoice.number} was rejected`]);
    expect(mails[0].text).toContain('duplicate of INV-7');
    const decisions = await sql('SELECT d.decision, d.comment, d.via FROM approval_decisions d JOIN approvals a ON a.id = d.approval_id WHERE a.invoice_id = $1', [invoice.id]);
    expect(decisions).toEqual([{ decision: 'rejected', comment: 'duplicate of INV-7', via: 'email' }]);
    const view = await c.creator.http.get(`/v1/invoices/${invoice.id}/approval`);
    expect([view.status, view.body.status]).toEqual([200, 'rejected']);
  }, 120_000);
});
