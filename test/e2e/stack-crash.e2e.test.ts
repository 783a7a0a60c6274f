import { Client, Connection } from '@temporalio/client';
import { approvalCompany, ApprovalCompany, createLargeInvoice, tasksOf } from '../support/approval';
import { closeDb, sql } from '../support/db';
import { Http } from '../support/http';
import { OwnPostgres } from '../support/own-postgres';
import { OwnTemporal } from '../support/own-temporal';
import { SlowSmtp } from '../support/slow-smtp';
import { Stack } from '../support/stack';
import { dueRemindersCompany, expectEachReminderOnceOrInDoubt, runNow } from '../support/sweep-outcome';
import { until } from '../support/until';

const REMINDERS = 300;
const APPROVALS = 6;

/**
 * Every process of the stack killed at once with `kill -9` (API, worker, Temporal server, PostgreSQL) while approvals
 * are pending, decisions are in flight and a sweep of a few hundred reminders is delivering; then everything started
 * again. The SMTP listener is the receiving mail system, outside the stack: it stays up and counts what arrives.
 */
describe('the whole stack killed with kill -9 during approvals and a sweep', () => {
  const postgres = new OwnPostgres();
  const temporal = new OwnTemporal();
  const smtp = new SlowSmtp(100);
  let stack: Stack;

  beforeAll(async () => {
    await postgres.start();
    process.env.DATABASE_URL = postgres.url; // LedgerSeed and sql() read it
    await temporal.start();
    stack = new Stack('stack-crash', {
      DATABASE_URL: postgres.url, TEMPORAL_ADDRESS: temporal.address, SMTP_URL: await smtp.start(), RELANCE_RECONCILE_SCHEDULES: 'false',
    });
    await stack.start();
  }, 180_000);
  afterAll(async () => {
    await closeDb();
    await stack?.stop();
    await smtp.stop();
    await temporal.remove();
    await postgres.remove();
  });

  it('after a restart every approval decides once, the sweep finishes within 60 s, each reminder once or in doubt', async () => {
    const http = new Http(stack.baseUrl);
    const c: ApprovalCompany = await approvalCompany(http);
    const invoices: { id: string; number: string }[] = [];
    for (let i = 0; i < APPROVALS; i += 1) invoices.push(await createLargeInvoice(c));
    for (const invoice of invoices) expect((await c.creator.http.post(`/v1/invoices/${invoice.id}/submit-for-approval`)).status).toBe(200);
    for (const invoice of invoices) await until(() => tasksOf(c.approver, 'open', invoice.id), (t) => t.length === 1, 'the approval task');

    const reminders = await dueRemindersCompany(http, REMINDERS, 'Crash');
    const sweepId = await runNow(reminders.tenant, reminders.definitionId);
    const sentBefore = smtp.keys.length;
    await until(async () => smtp.keys.length - sentBefore, (n) => n >= 60, '60 reminders sent', { attempts: 600 });

    // Half the approvals are being decided when everything dies; their answers may never come.
    const inFlight = invoices.slice(0, APPROVALS / 2).map((inv) => c.approver.http.post(`/v1/invoices/${inv.id}/approve`, {}).catch((e: Error) => e));
    await new Promise((r) => setTimeout(r, 30));
    await Promise.all([stack.kill(), temporal.kill(), postgres.kill()]);
    const sentAtCrash = smtp.keys.length - sentBefore;
    await Promise.all(inFlight);

    await postgres.resume();
    await temporal.start();
    await stack.start();
    const restartedAt = Date.now();

    // Every approval is decided now: those whose decision was in flight answer approved or, when it had landed, 409.
    for (const invoice of invoices) {
      const res = await c.approver.http.post(`/v1/invoices/${invoice.id}/approve`, {});
      expect([200, 409]).toContain(res.status);
    }

    const connection = await Connection.connect({ address: temporal.address });
    try {
      const result = await new Client({ connection }).workflow.getHandle(sweepId).result();
      const tookMs = Date.now() - restartedAt;
      console.log(`[stack-crash] ${sentAtCrash} of ${REMINDERS} reminders out at the crash; sweep finished ${(tookMs / 1000).toFixed(1)} s ` +
        `after the restart; result ${JSON.stringify({ ...result, errors: result.errors.length })}`);
      expect(sentAtCrash).toBeLessThan(REMINDERS);
      expect(tookMs).toBeLessThan(60_000);

      await expectEachReminderOnceOrInDoubt(sweepId, result, smtp.countsByKey(), REMINDERS);

      // Each approval: approved, one decision, its run ended, no open task; its outcome notices went out.
      for (const invoice of invoices) {
        await until(() => c.creator.http.get(`/v1/invoices/${invoice.id}/approval`), (r) => r.body.status === 'approved', `approval of ${invoice.number}`);
        const view = (await c.creator.http.get(`/v1/invoices/${invoice.id}/approval`)).body;
        expect(view.decisions.map((d: { decision: string }) => d.decision)).toEqual(['approved']);
        const run = await new Client({ connection }).workflow.getHandle(`invoice-approval-${invoice.id}-1`).result();
        expect(run.status).toBe('approved');
        expect(await sql(`SELECT 1 FROM tasks WHERE record_id = $1 AND status = 'open'`, [invoice.id])).toEqual([]);
        expect(view.approvalId).toEqual(expect.any(String));
        const outcomeKeys = [...smtp.countsByKey().keys()].filter((k) => k.startsWith(`approval:${view.approvalId}:decided:email:`));
        expect(outcomeKeys.length).toBeGreaterThan(0);
      }
      // Approval notices are at least once with a stable Message-ID: a resend after the crash is the same message.
      const resent = [...smtp.countsByKey()].filter(([k, n]) => k.startsWith('approval:') && n > 1);
      console.log(`[stack-crash] approval notices received twice (same Message-ID): ${resent.length}`);
    } finally {
      await connection.close();
    }
  }, 300_000);
});
