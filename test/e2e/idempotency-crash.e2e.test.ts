import { ApprovalCompany, approvalStack, createLargeInvoice, tasksOf } from '../support/approval';
import { sql } from '../support/db';
import { until } from '../support/until';

/**
 * An API process killed (SIGKILL) in the middle of a request leaves its Idempotency-Key claimed with no answer: the
 * client's retry with the same key must not be told "still in progress" for the key's whole life (24 h). Once the claim
 * is older than any request can last, the same request with the same key runs again. The chaos soak found it
 * (`npm run test:chaos`: every approval whose API was killed while deciding it went unanswered).
 */
describe('Idempotency-Key of a request whose API process was killed', () => {
  let c: ApprovalCompany;
  const stack = approvalStack('idempotency-crash', (company) => (c = company));

  it('answers the retry once the dead request\'s claim is past its lease, and a live claim stays "in progress"', async () => {
    const invoice = await createLargeInvoice(c);
    expect((await c.creator.http.post(`/v1/invoices/${invoice.id}/submit-for-approval`)).status).toBe(200);
    await until(() => tasksOf(c.approver, 'open', invoice.id), (t) => t.length === 1, 'the approval task');
    const key = { 'idempotency-key': `approve-${invoice.id}` };

    // No worker: the decision waits for its Update, and the API process dies while it waits.
    await stack.stopWorker('SIGKILL');
    const inFlight = c.approver.http.post(`/v1/invoices/${invoice.id}/approve`, {}, key).catch((e: Error) => e);
    await until(() => sql(`SELECT 1 FROM idempotency_keys WHERE key = $1`, [key['idempotency-key']]), (r) => r.length === 1, 'the key claimed');
    await stack.kill();
    expect(await inFlight).toMatchObject({ message: 'fetch failed' }); // the connection died with the process
    await stack.start();

    // Just after the crash the claim may still be a live request's: the retry is told to wait.
    const early = await c.approver.http.post(`/v1/invoices/${invoice.id}/approve`, {}, key);
    expect([early.status, early.body.message]).toEqual([409, expect.stringMatching(/still in progress/)]);
    // A copy of the dead claim under another key, past its lease, for another request below (the retry may free this one).
    await sql(`INSERT INTO idempotency_keys (company_id, user_id, key, method, path, request_hash, created_at)
      SELECT company_id, user_id, 'dead-' || key, method, path, request_hash, now() - interval '3 minutes' FROM idempotency_keys WHERE key = $1`,
    [key['idempotency-key']]);

    // Two minutes later (the claim's time moved back), no request can still hold it: the retry runs. The dead request's
    // Update may have reached the run meanwhile (Temporal keeps it for the next worker): then the retry says it is decided,
    // as "now approved" when the run settled while the retry asked it, or as "is approved" when it had settled before.
    await sql(`UPDATE idempotency_keys SET created_at = created_at - interval '2 minutes 1 second' WHERE key = $1`, [key['idempotency-key']]);
    const retried = await c.approver.http.post(`/v1/invoices/${invoice.id}/approve`, {}, key);
    expect(retried.status === 200 ? retried.body.status : `${retried.status} ${retried.body.message}`).toMatch(/^approved$|^409 .*its approval status is (now )?approved\)?$/);
    const replayed = await c.approver.http.post(`/v1/invoices/${invoice.id}/approve`, {}, key);
    expect([replayed.status, replayed.headers.get('idempotent-replayed')]).toEqual([retried.status, retried.status === 200 ? 'true' : null]);
    const decisions = await sql('SELECT d.decision FROM approval_decisions d JOIN approvals a ON a.id = d.approval_id WHERE a.invoice_id = $1', [invoice.id]);
    expect(decisions).toEqual([{ decision: 'approved' }]);

    // Another request under the dead claim's key is still refused as a reuse of the key.
    const other = await createLargeInvoice(c);
    const reused = await c.approver.http.post(`/v1/invoices/${other.id}/approve`, {}, { 'idempotency-key': `dead-${key['idempotency-key']}` });
    expect(reused.status).toBe(422);
  }, 120_000);
});
