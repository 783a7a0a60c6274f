import { approvalCompany, ApprovalCompany, createLargeInvoice, outcomeNotified, tasksOf } from '../support/approval';
import { closeDb, sql } from '../support/db';
import { Http } from '../support/http';
import { waitForMails } from '../support/mail';
import { Stack } from '../support/stack';
import { until } from '../support/until';

/**
 * A decision Postgres holds but the run never heard of. The `decide` Update's workflow task writes the decision (a local
 * activity) before the task completes; when the Temporal server dies in between, the task and the Update, which the
 * server keeps in memory until the task completes, are gone: the database says approved, the run still waits (its
 * history has no Update), its outcome is never told. The chaos soak left such a run open (`CHAOS_SEED=7
 * CHAOS_MINUTES=2 npm run test:chaos`, the second kill of the Temporal server). Here the database is put in that state
 * as the lost task left it; the approver's client, which got no answer, asks the same decision again.
 */
describe('a decision recorded in Postgres whose Update the Temporal server lost', () => {
  const stack = new Stack('approval-lost-decision');
  let c: ApprovalCompany;

  beforeAll(async () => {
    await stack.start();
    c = await approvalCompany(new Http(stack.baseUrl));
  });
  afterAll(async () => {
    await closeDb();
    await stack.stop();
  });

  /** What the lost task's settleDecision committed: the decision, the outcome on the approval and invoice, the tasks closed. */
  async function decidedInPostgresOnly(invoiceId: string, decision: 'approved' | 'rejected', comment: string) {
    const [approval] = await sql<{ id: string }>(`SELECT id FROM approvals WHERE invoice_id = $1`, [invoiceId]);
    await sql(`INSERT INTO approval_decisions (approval_id, step, decision, user_id, comment, decided_at, closes_step, via)
      VALUES ($1, 0, $2, $3, $4, now(), true, 'api')`, [approval.id, decision, c.approver.id, comment]);
    await sql(`UPDATE approvals SET status = $2, decided_at = now() WHERE id = $1`, [approval.id, decision]);
    await sql(`UPDATE invoices SET approval_status = $2 WHERE id = $1`, [invoiceId, decision]);
    await sql(`UPDATE tasks SET status = 'completed', completed_at = now(), completed_by = $2 WHERE approval_id = $1 AND status = 'open'`,
      [approval.id, c.approver.id]);
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
});
