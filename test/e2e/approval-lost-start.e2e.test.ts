import { ApprovalCompany, approvalStack, createLargeInvoice, tasksOf, workflowIdsMatching } from '../support/approval';
import { sql } from '../support/db';
import { until } from '../support/until';

/**
 * An API process killed between recording a submission and starting its run leaves the document `pending_approval`
 * with a run that never existed: nobody is asked, and every decision found "the workflow run has ended" (the chaos
 * soak found one). The state is made here as that death leaves it: the submission's rows as the API records them,
 * no run; `created_at` moved back to say how long ago.
 */
describe('a submission whose run never started', () => {
  let c: ApprovalCompany;
  approvalStack('approval-lost-start', (company) => (c = company));

  /** An invoice recorded as submitted (submission 1, the company's definition and steps), its run never started. */
  async function lostStart(ago: string): Promise<{ id: string; number: string }> {
    const model = await createLargeInvoice(c);
    expect((await c.creator.http.post(`/v1/invoices/${model.id}/submit-for-approval`)).status).toBe(200);
    const invoice = await createLargeInvoice(c);
    await sql(`UPDATE invoices i SET approval_status = 'pending_approval', approval_submissions = 1, approval_definition_id = m.approval_definition_id
                 FROM invoices m WHERE i.id = $1 AND m.id = $2`, [invoice.id, model.id]);
    await sql(`INSERT INTO approvals (company_id, record_type, invoice_id, submission, definition_id, definition_version, workflow_id, status, steps,
                                      current_step, allow_admins, deadline, submitted_by, created_at)
               SELECT company_id, 'invoice', $1::uuid, 1, definition_id, definition_version, 'invoice-approval-' || $1::text || '-1', 'pending', steps, 0,
                      allow_admins, deadline, submitted_by, now() - $3::interval
                 FROM approvals WHERE invoice_id = $2`, [invoice.id, model.id, ago]);
    return invoice;
  }

  it('the approver\'s decision starts the run and is recorded once', async () => {
    const invoice = await lostStart('2 minutes');
    const decided = await c.approver.http.post(`/v1/invoices/${invoice.id}/approve`, {});
    expect([decided.status, decided.body.status]).toEqual([200, 'approved']);
    expect(await sql(`SELECT d.decision FROM approval_decisions d JOIN approvals a ON a.id = d.approval_id WHERE a.invoice_id = $1`, [invoice.id]))
      .toEqual([{ decision: 'approved' }]);
    expect((await c.creator.http.get(`/v1/invoices/${invoice.id}`)).body.approvalStatus).toBe('approved');
  });

  it('the creator\'s submit again starts the run, which asks the approver', async () => {
    const invoice = await lostStart('2 minutes');
    const again = await c.creator.http.post(`/v1/invoices/${invoice.id}/submit-for-approval`);
    expect([again.status, again.body.status, again.body.submission]).toEqual([200, 'pending_approval', 1]);
    await until(() => tasksOf(c.approver, 'open', invoice.id), (t) => t.length === 1, 'the approval task of the started run');
  });

  it('a run that exists but has not recorded itself still takes the decision, and stays the only run', async () => {
    const invoice = await createLargeInvoice(c);
    expect((await c.creator.http.post(`/v1/invoices/${invoice.id}/submit-for-approval`)).status).toBe(200);
    await until(() => tasksOf(c.approver, 'open', invoice.id), (t) => t.length === 1, 'the approval task');
    // As if its first workflow task had not run yet, a while after the submission (a worker down).
    await sql(`UPDATE approvals SET run_id = NULL, created_at = now() - interval '2 minutes' WHERE invoice_id = $1`, [invoice.id]);
    const decided = await c.approver.http.post(`/v1/invoices/${invoice.id}/approve`, {});
    expect([decided.status, decided.body.status]).toEqual([200, 'approved']);
    const runs = await workflowIdsMatching(`WorkflowId = 'invoice-approval-${invoice.id}-1'`);
    expect(runs).toHaveLength(1);
  });

  it('a submission recorded a moment ago is left to the request that may still be starting its run', async () => {
    const invoice = await lostStart('1 second');
    const again = await c.creator.http.post(`/v1/invoices/${invoice.id}/submit-for-approval`);
    expect([again.status, again.body.message]).toEqual([409, expect.stringMatching(/already pending approval/)]);
    expect(await tasksOf(c.approver, 'open', invoice.id)).toEqual([]);
  });
});
