import { Client, Connection } from '@temporalio/client';
import { hostname } from 'node:os';
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
 * every approval is decided once, no approval email goes twice to one person. That the fault hit work in flight is
 * asserted, not assumed: the sweep was part-way, some decisions were answered only after the kill, and the killed
 * worker (its Temporal identity in the runs' histories) had been working on the sweep and on the approvals.
 */
describe('scale-out: two APIs, two workers, one killed', () => {
  const smtp = new SlowSmtp(5);
  let a: Stack;
  let b: Stack;
  let connection: Connection;
  let client: Client;

  beforeAll(async () => {
    const smtpUrl = await smtp.start();
    a = await new Stack('scale-a', { SMTP_URL: smtpUrl, RELANCE_RECONCILE_SCHEDULES: 'false' }).start();
    b = await new Stack('scale-b', { SMTP_URL: smtpUrl, RELANCE_RECONCILE_SCHEDULES: 'false', TEMPORAL_TASK_QUEUE: a.taskQueue }).start();
    connection = await Connection.connect({ address: testEnv().temporalAddress });
    client = new Client({ connection, namespace: testEnv().temporalNamespace });
  }, 120_000);
  afterAll(async () => {
    await connection?.close();
    await closeDb();
    await b?.stop();
    await a?.stop();
    await smtp.stop();
  });

  /** The Temporal identities (`<pid>@<host>`) of the workers that started a task of the workflow, in any of its runs. */
  const workedBy = async (workflowId: string): Promise<string[]> => {
    const identities: string[] = [];
    for await (const run of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
      const history = await client.workflow.getHandle(workflowId, run.runId).fetchHistory();
      for (const e of history.events ?? []) {
        const identity = e.workflowTaskStartedEventAttributes?.identity ?? e.activityTaskStartedEventAttributes?.identity;
        if (identity) identities.push(identity);
      }
    }
    return identities;
  };

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

    // The worker to kill is the one running the sweep: its workflow task and the activities it starts eagerly stay on
    // the worker that has the run in its cache, so killing the other one would not touch the sweep at all.
    const sweepWorker = (await workedBy(sweepId)).pop();
    const victim = [a, b].find((s) => `${s.workerPids[0]}@${hostname()}` === sweepWorker);
    expect(victim).toBeDefined();
    const killedIdentity = sweepWorker!;

    // Half the decisions through each API; one worker dies while they are in flight.
    const decisions = invoices.map((inv, i) => (i % 2 ? viaB(`/v1/invoices/${inv.id}/approve`) : c.approver.http.post(`/v1/invoices/${inv.id}/approve`, {}))
      .catch((e: Error) => e).then((r) => ({ r, at: Date.now() })));
    await new Promise((r) => setTimeout(r, 20));
    const sentAtKill = smtp.keys.length - sentBefore;
    await victim!.stopWorker('SIGKILL');
    const killedAt = Date.now();
    const timed = await Promise.all(decisions);
    const answers = timed.map((t) => t.r);
    // The sweep was part-way when the worker died, and decisions were still in flight.
    expect(sentAtKill).toBeGreaterThan(0);
    expect(sentAtKill).toBeLessThan(REMINDERS);
    expect(timed.filter((t) => t.at > killedAt).length).toBeGreaterThanOrEqual(1);

    const result = await client.workflow.getHandle(sweepId).result();
    console.log(`[scale] ${sentAtKill} of ${REMINDERS} reminders out when a worker was killed; sweep done in ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s; answers ${answers.map((r) => (r instanceof Error ? r.message : r.status)).join(',')}, ` +
      `${timed.filter((t) => t.at > killedAt).length} of them after the kill`);
    await expectEachReminderOnceOrInDoubt(sweepId, result, smtp.countsByKey(), REMINDERS);

    // The sweep finished on the other worker; the killed one had had approvals too.
    const sweepIdentities = await workedBy(sweepId);
    expect(sweepIdentities[sweepIdentities.length - 1]).not.toBe(killedIdentity);
    const approvalIdentities = await Promise.all(invoices.map((inv) => workedBy(`invoice-approval-${inv.id}-1`)));
    expect(approvalIdentities.filter((ids) => ids.includes(killedIdentity)).length).toBeGreaterThanOrEqual(1);

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

    // Approval emails (the requests, the outcome) at most once to each person (a key names its recipient), the requests out.
    const approvals = await sql<{ id: string }>(`SELECT id FROM approvals WHERE invoice_id = ANY($1::uuid[])`, [invoices.map((i) => i.id)]);
    expect(approvals).toHaveLength(APPROVALS);
    const sent = smtp.countsByKey();
    for (const { id } of approvals) {
      const mails = [...sent].filter(([key]) => key.startsWith(`approval:${id}:`));
      expect(mails.filter(([key]) => key.includes(':requested:')).length).toBeGreaterThanOrEqual(1);
      expect(mails.filter(([, n]) => n > 1)).toEqual([]);
    }
  }, 300_000);
});
