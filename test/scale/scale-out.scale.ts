import { Client, Connection } from '@temporalio/client';
import { approvalCompany, ApprovalCompany, createLargeInvoice, tasksOf } from '../support/approval';
import { closeDb, sql } from '../support/db';
import { testEnv } from '../support/env';
import { Http } from '../support/http';
import { SlowSmtp } from '../support/slow-smtp';
import { Stack } from '../support/stack';
import { dueRemindersCompany, expectEachReminderOnceOrInDoubt, runNow } from '../support/sweep-outcome';
import { until } from '../support/until';

const REMINDERS = 1000;
const APPROVALS = 8;

/**
 * `npm run test:scale`: two API processes and two worker processes on one task queue, against one Temporal server and
 * one Postgres. One worker is killed (SIGKILL) in the middle of a 1,000-reminder sweep while approvals are being
 * decided through both APIs: every reminder is delivered once (or, at most once, reported in doubt, never twice),
 * every approval is decided once.
 */
describe('scale-out: two APIs, two workers, one killed', () => {
  const smtp = new SlowSmtp(5);
  let a: Stack;
  let b: Stack;

  beforeAll(async () => {
    const smtpUrl = await smtp.start();
    a = await new Stack('scale-a', { SMTP_URL: smtpUrl, RELANCE_RECONCILE_SCHEDULES: 'false' }).start();
    b = await new Stack('scale-b', { SMTP_URL: smtpUrl, RELANCE_RECONCILE_SCHEDULES: 'false', TEMPORAL_TASK_QUEUE: a.taskQueue }).start();
  }, 120_000);
  afterAll(async () => {
    await closeDb();
    await b?.stop();
    await a?.stop();
    await smtp.stop();
  });

  it('every reminder once (or in doubt, never twice) and every approval decided once', async () => {
    const c: ApprovalCompany = await approvalCompany(new Http(a.baseUrl));
    const viaB = (path: string) => c.approver.http.at(b.baseUrl).post(path, {});
    const invoices: { id: string; number: string }[] = [];
    for (let i = 0; i < APPROVALS; i += 1) invoices.push(await createLargeInvoice(c));
    for (const invoice of invoices) expect((await c.creator.http.post(`/v1/invoices/${invoice.id}/submit-for-approval`)).status).toBe(200);
    for (const invoice of invoices) await until(() => tasksOf(c.approver, 'open', invoice.id), (t) => t.length === 1, 'the approval task');

    const started = Date.now();
    const reminders = await dueRemindersCompany(new Http(b.baseUrl), REMINDERS, 'Scale');
    const sweepId = await runNow(reminders.tenant, reminders.definitionId);
    const sentBefore = smtp.keys.length;
    await until(async () => smtp.keys.length - sentBefore, (n) => n >= 100, '100 reminders sent', { attempts: 600 });

    // Half the decisions through each API; one worker dies while they are in flight.
    const decisions = invoices.map((inv, i) => (i % 2 ? viaB(`/v1/invoices/${inv.id}/approve`) : c.approver.http.post(`/v1/invoices/${inv.id}/approve`, {}))
      .catch((e: Error) => e));
    await new Promise((r) => setTimeout(r, 20));
    await b.stopWorker('SIGKILL');
    const sentAtKill = smtp.keys.length - sentBefore;
    const answers = await Promise.all(decisions);

    const connection = await Connection.connect({ address: testEnv().temporalAddress });
    try {
      const result = await new Client({ connection, namespace: testEnv().temporalNamespace }).workflow.getHandle(sweepId).result();
      console.log(`[scale] ${sentAtKill} of ${REMINDERS} reminders out when a worker was killed; sweep done in ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s; answers ${answers.map((r) => (r instanceof Error ? r.message : r.status)).join(',')}`);
      await expectEachReminderOnceOrInDoubt(sweepId, result, smtp.countsByKey(), REMINDERS);

      for (const invoice of invoices) {
        // A decision whose answer was lost with the worker is asked again: approved once, or 409 when it had landed.
        const again = await c.approver.http.post(`/v1/invoices/${invoice.id}/approve`, {});
        expect([200, 409]).toContain(again.status);
        const view = await until(() => c.creator.http.get(`/v1/invoices/${invoice.id}/approval`), (r) => r.body.status === 'approved',
          `approval of ${invoice.number}`);
        expect(view.body.decisions.map((d: { decision: string }) => d.decision)).toEqual(['approved']);
        expect(await sql(`SELECT 1 FROM tasks WHERE record_id = $1 AND status = 'open'`, [invoice.id])).toEqual([]);
      }
      const decided = await sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM approval_decisions d JOIN approvals a ON a.id = d.approval_id WHERE a.invoice_id = ANY($1::uuid[])`,
        [invoices.map((i) => i.id)]);
      expect(decided[0].n).toBe(APPROVALS);
    } finally {
      await connection.close();
    }
  }, 300_000);
});
