import { MockActivityEnvironment } from '@temporalio/testing';
import { deliveryMessageId } from '../../src/infra/mailer';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { composeApprovalActivities, createApprovalActivities } from '../../src/activities/approval.activities';
import type { Mailer } from '../../src/infra/mailer';
import { seedPendingApproval, type SeededApproval } from '../support/approval-seed';
import { approvalBackends } from '../support/approval-integration';
import { mailsTo, waitForMails } from '../support/mail';

type Seed = SeededApproval;

/** The real activities against the real Postgres and SMTP listener, each run twice as a retry would. */
describe(createApprovalActivities.name, () => {
  let dataSource: DataSource;
  let smtp: Mailer;

  approvalBackends((b) => ({ dataSource, smtp } = b));

  const seed = () => seedPendingApproval(dataSource, { label: 'Approvals', approvers: [{ name: 'alice', role: 'standard' }, { name: 'bob', role: 'admin' }] });


  function inWorkflow(s: Seed) {
    return new MockActivityEnvironment({
      workflowExecution: { workflowId: s.workflowId, runId: randomUUID() },
    });
  }

  const notice = (s: Seed) => ({ approvalId: s.approvalId, companyId: s.companyId, invoiceId: s.invoiceId, invoiceNumber: 'INV-1' });
  /** Each approver holding their own seat. */
  const ownSeats = (ids: string[]) => ids.map((userId) => ({ userId, onBehalfOf: null }));
  const count = async (sql: string, params: unknown[]) => Number((await dataSource.query(sql, params))[0].count);

  it('opens one task per approver however often it is retried', async () => {
    const s = await seed();
    const a = createApprovalActivities({ dataSource, mailer: smtp });
    const env = inWorkflow(s);
    const approverIds = s.approvers.map((p) => p.id);
    const args = { ...notice(s), step: 0, approverIds, seats: ownSeats(approverIds), dueAt: new Date().toISOString() };
    await env.run(a.openApprovalTasks, args);
    await env.run(a.openApprovalTasks, args);

    const tasks = await dataSource.query(
      `SELECT assignee_id, kind, status, record_id FROM tasks WHERE approval_id = $1 ORDER BY assignee_id`, [s.approvalId]);
    expect(tasks).toHaveLength(2);
    expect(tasks).toEqual(expect.arrayContaining(s.approvers.map((p) =>
      expect.objectContaining({ assignee_id: p.id, kind: 'approval', status: 'open', record_id: s.invoiceId }))));
    expect(await count(`SELECT count(*) FROM deliveries WHERE record_id = $1 AND channel = 'task'`, [s.invoiceId])).toBe(2);
  });

  it('escalation: one escalated entry, one task and one email with a decision link to the escalation user, however often retried', async () => {
    const s = await seed();
    const [alice, bob] = s.approvers;
    const a = createApprovalActivities({ dataSource, mailer: smtp, publicUrl: 'http://relance.test' });
    const env = inWorkflow(s);
    const deadline = new Date(Date.now() + 5 * 86_400_000).toISOString();
    await env.run(a.markPending, { ...notice(s), deadline });
    const args = { ...notice(s), step: 0, stepCount: 1, escalateToId: bob.id, holderId: bob.id, push: false, deadline, escalatedAt: new Date().toISOString() };
    await env.run(a.escalateApproval, args);
    await env.run(a.escalateApproval, args);

    const entries = await dataSource.query(
      'SELECT decision, user_id, closes_step FROM approval_decisions WHERE approval_id = $1', [s.approvalId]);
    expect(entries).toEqual([{ decision: 'escalated', user_id: bob.id, closes_step: false }]);
    expect(await count(`SELECT count(*) FROM tasks WHERE approval_id = $1 AND assignee_id = $2 AND status = 'open'`, [s.approvalId, bob.id])).toBe(1);
    const mails = await waitForMails(bob.email, 1);
    expect(mails.map((m) => m.subject)).toEqual(['Escalated: invoice INV-1 waits for a decision']);
    expect(mails[0].text).toMatch(/Approve or reject from this page: http:\/\/relance\.test\/approvals\/[A-Za-z0-9_-]{43}$/m);
    expect(await count('SELECT count(*) FROM approval_links WHERE approval_id = $1 AND user_id = $2 AND expires_at = $3',
      [s.approvalId, bob.id, deadline])).toBeGreaterThanOrEqual(1);

    // An approval short of the quorum closes only its approver's task; the closing one then closes the step, once.
    const vote = { ...notice(s), step: 0, decision: 'approved' as const, userId: alice.id, comment: null, decidedAt: new Date().toISOString(),
      nextStep: null, closesStep: false, via: 'email' as const };
    await env.run(a.recordDecision, vote);
    await env.run(a.recordDecision, vote);
    expect(await count(`SELECT count(*) FROM tasks WHERE approval_id = $1 AND status = 'open'`, [s.approvalId])).toBe(1);
    const closing = { ...vote, userId: bob.id, closesStep: true, via: 'api' as const };
    await env.run(a.recordDecision, closing);
    await env.run(a.recordDecision, { ...closing, decidedAt: new Date().toISOString() });
    const decided = await dataSource.query(
      `SELECT decision, user_id, closes_step, via FROM approval_decisions WHERE approval_id = $1 AND decision = 'approved' ORDER BY closes_step`, [s.approvalId]);
    expect(decided).toEqual([
      { decision: 'approved', user_id: alice.id, closes_step: false, via: 'email' },
      { decision: 'approved', user_id: bob.id, closes_step: true, via: 'api' },
    ]);
    expect(await count(`SELECT count(*) FROM tasks WHERE approval_id = $1 AND status = 'open'`, [s.approvalId])).toBe(0);
  });

  it('emails and pushes each person once, even when the activity runs again', async () => {
    const s = await seed();
    const a = createApprovalActivities({ dataSource, mailer: smtp });
    const env = inWorkflow(s);
    await env.run(a.markPending, { ...notice(s), deadline: new Date(Date.now() + 86_400_000).toISOString() });
    const args = { ...notice(s), step: 0, stepCount: 1, userIds: s.approvers.map((p) => p.id), approverIds: [], push: true, deadline: '2026-12-28T00:00:00.000Z' };
    await env.run(a.notifyApprovalRequested, args);
    await env.run(a.notifyApprovalRequested, args);

    for (const person of s.approvers) {
      const mails = await waitForMails(person.email, 1);
      expect(mails).toHaveLength(1);
      expect(mails[0].subject).toBe('Approval requested: invoice INV-1');
      expect(mails[0].text).toContain('CA$1,250.00');
      // The Message-ID comes from the delivery key: a resend after a crash is the same message to the receiver.
      const key = `approval:${s.approvalId}:requested:0:email:${person.id}`;
      expect(mails[0].headers['x-relance-delivery']).toBe(key);
      expect(mails[0].headers['message-id']).toBe(deliveryMessageId(key));
    }
    expect(await count('SELECT count(*) FROM notifications WHERE record_id = $1', [s.invoiceId])).toBe(2);
    const deliveries = await dataSource.query(
      `SELECT d.channel, d.status, d.attempts, r.temporal_workflow_id FROM deliveries d LEFT JOIN workflow_runs r ON r.id = d.run_id
        WHERE d.record_id = $1 ORDER BY d.channel`, [s.invoiceId]);
    expect(deliveries).toHaveLength(4);
    expect(deliveries.every((d: { status: string; attempts: number; temporal_workflow_id: string }) =>
      d.status === 'sent' && d.attempts === 1 && d.temporal_workflow_id === s.workflowId)).toBe(true);
  });

  it('opens no task and asks nobody when the invoice was edited (approval cancelled) before the run got to it', async () => {
    const s = await seed();
    await dataSource.query(`UPDATE approvals SET status = 'cancelled' WHERE id = $1`, [s.approvalId]);
    const a = createApprovalActivities({ dataSource, mailer: smtp });
    const approverIds = s.approvers.map((p) => p.id);
    const deadline = '2026-12-28T00:00:00.000Z';
    expect(await inWorkflow(s).run(a.openApprovalStep, { ...notice(s), first: true, step: 0, approverIds, seats: ownSeats(approverIds), deadline }))
      .toEqual({ opened: 0 });
    expect(await inWorkflow(s).run(a.notifyApprovalRequested, { ...notice(s), step: 0, stepCount: 1, userIds: approverIds, approverIds, push: true, deadline }))
      .toEqual({ notified: 0 });
    expect(await inWorkflow(s).run(a.remindApprovers, { ...notice(s), step: 0, approverIds, push: true, deadline: '2026-12-28T00:00:00.000Z' }))
      .toEqual({ reminded: 0 });
    expect(await count('SELECT count(*) FROM tasks WHERE record_id = $1', [s.invoiceId])).toBe(0);
    expect(await count('SELECT count(*) FROM notifications WHERE record_id = $1', [s.invoiceId])).toBe(0);
    expect(await count('SELECT count(*) FROM deliveries WHERE record_id = $1', [s.invoiceId])).toBe(0);
    for (const person of s.approvers) expect(await mailsTo(person.email)).toHaveLength(0);
    const [invoice] = await dataSource.query('SELECT approval_status FROM invoices WHERE id = $1', [s.invoiceId]);
    expect(invoice.approval_status).toBe('pending_approval');
  });

  it('opens a step, then asks for it, as the workflow does: run started, tasks opened, approvers and people to notify told, all once', async () => {
    const s = await seed();
    const a = createApprovalActivities({ dataSource, mailer: smtp });
    const env = inWorkflow(s);
    const approverIds = s.approvers.map((p) => p.id);
    const deadline = '2026-12-28T00:00:00.000Z';
    const open = { ...notice(s), first: true, step: 0, approverIds, seats: ownSeats(approverIds), deadline };
    const ask = { ...notice(s), step: 0, stepCount: 1, userIds: [...approverIds, s.creator.id], approverIds, push: true, deadline };
    for (let i = 0; i < 2; i += 1) {
      expect(await env.run(a.openApprovalStep, open)).toEqual({ opened: 2 });
      expect(await env.run(a.notifyApprovalRequested, ask)).toEqual({ notified: 3 });
    }
    expect(await count(`SELECT count(*) FROM tasks WHERE record_id = $1 AND status = 'open'`, [s.invoiceId])).toBe(2);
    expect(await count('SELECT count(*) FROM notifications WHERE record_id = $1', [s.invoiceId])).toBe(3);
    for (const person of [...s.approvers, s.creator]) expect(await waitForMails(person.email, 1)).toHaveLength(1);
    const [run] = await dataSource.query('SELECT count(*)::int AS n FROM workflow_runs WHERE temporal_workflow_id = $1', [s.workflowId]);
    expect(run.n).toBe(1);
    const [approval] = await dataSource.query('SELECT deadline FROM approvals WHERE id = $1', [s.approvalId]);
    expect(approval.deadline.toISOString()).toBe('2026-12-28T00:00:00.000Z');
  });

  it('sends a failed email again on retry, and only once it goes through', async () => {
    const s = await seed();
    let calls = 0;
    const flaky: Mailer = {
      async send(msg) {
        calls += 1;
        if (calls === 1) throw new Error('SMTP connection reset');
        return smtp.send(msg);
      },
      close: () => undefined,
    };
    const a = createApprovalActivities({ dataSource, mailer: flaky });
    const env = inWorkflow(s);
    const args = { ...notice(s), step: 0, stepCount: 1, userIds: [s.approvers[0].id], approverIds: [], push: false, deadline: '2026-12-28T00:00:00.000Z' };
    await expect(env.run(a.notifyApprovalRequested, args)).rejects.toThrow('SMTP connection reset');
    const [failed] = await dataSource.query(`SELECT status, attempts, error FROM deliveries WHERE record_id = $1`, [s.invoiceId]);
    expect(failed).toEqual({ status: 'failed', attempts: 1, error: 'SMTP connection reset' });

    await env.run(a.notifyApprovalRequested, args);
    await env.run(a.notifyApprovalRequested, args);
    expect(await waitForMails(s.approvers[0].email, 1)).toHaveLength(1);
    expect(calls).toBe(2);
    const [sent] = await dataSource.query(`SELECT status, attempts, error FROM deliveries WHERE record_id = $1`, [s.invoiceId]);
    expect(sent).toEqual({ status: 'sent', attempts: 2, error: null });
  });

  it('records the outcome once: invoice approved, tasks closed, creator told once', async () => {
    const s = await seed();
    const a = createApprovalActivities({ dataSource, mailer: smtp });
    const env = inWorkflow(s);
    await env.run(a.markPending, { ...notice(s), deadline: new Date(Date.now() + 86_400_000).toISOString() });
    await env.run(a.openApprovalTasks, { ...notice(s), step: 0, approverIds: s.approvers.map((p) => p.id), seats: ownSeats(s.approvers.map((p) => p.id)), dueAt: new Date().toISOString() });
    const decision = { ...notice(s), step: 0, decision: 'approved' as const, userId: s.approvers[0].id, comment: 'fine', decidedAt: new Date().toISOString(), nextStep: null };
    await env.run(a.recordDecision, decision);
    await env.run(a.recordDecision, decision);
    const outcome = {
      ...notice(s), creatorId: s.creator.id, outcome: 'approved' as const, decision: 'approved' as const,
      decidedBy: s.approvers[0].id, comment: 'fine', notifyUserIds: [], push: false,
    };
    expect(await env.run(a.completeApproval, outcome)).toEqual({ applied: true });
    expect(await env.run(a.completeApproval, outcome)).toEqual({ applied: true });
    await env.run(a.notifyApprovalOutcome, outcome);
    await env.run(a.notifyApprovalOutcome, outcome);

    const [invoice] = await dataSource.query('SELECT approval_status FROM invoices WHERE id = $1', [s.invoiceId]);
    expect(invoice.approval_status).toBe('approved');
    const [approval] = await dataSource.query('SELECT status, decided_at FROM approvals WHERE id = $1', [s.approvalId]);
    expect(approval.status).toBe('approved');
    expect(approval.decided_at).not.toBeNull();
    expect(await dataSource.query('SELECT decision, user_id, comment FROM approval_decisions WHERE approval_id = $1', [s.approvalId]))
      .toEqual([{ decision: 'approved', user_id: s.approvers[0].id, comment: 'fine' }]);
    expect(await dataSource.query('SELECT DISTINCT status, completed_by FROM tasks WHERE approval_id = $1', [s.approvalId]))
      .toEqual([{ status: 'completed', completed_by: s.approvers[0].id }]);
    const mails = await waitForMails(s.creator.email, 1);
    expect(mails.map((m) => m.subject)).toEqual(['Invoice INV-1 was approved']);
    expect(await count('SELECT count(*) FROM notifications WHERE user_id = $1', [s.creator.id])).toBe(1);
    const [run] = await dataSource.query('SELECT status, ended_at FROM workflow_runs WHERE temporal_workflow_id = $1', [s.workflowId]);
    expect(run.status).toBe('completed');
  });

  interface SettleCase {
    outcome: 'approved' | 'rejected';
    decision: 'approved' | 'rejected' | 'timeout';
    /** Index of the deciding approver; none: the deadline decided. */
    decider?: number;
    onBehalfOf?: number;
    via?: 'email';
    cancelledFirst?: boolean;
  }

  it.each<[string, SettleCase]>([
    ['an approval for a delegator, from an email', { outcome: 'approved' as const, decision: 'approved' as const, decider: 0, onBehalfOf: 1, via: 'email' as const }],
    ['a rejection', { outcome: 'rejected' as const, decision: 'rejected' as const, decider: 1 }],
    ['a timeout', { outcome: 'rejected' as const, decision: 'timeout' as const }],
    ['an approval the API cancelled first', { outcome: 'approved' as const, decision: 'approved' as const, decider: 0, cancelledFirst: true }],
  ])('settles %s in one statement exactly as the decision and the outcome one after the other, and again as a retry', async (_, c) => {
    const parts = createApprovalActivities({ dataSource, mailer: smtp });
    let oneStatement = 0;
    // The real parts, counting the single statement's calls: settleDecision must have taken it.
    const counted = composeApprovalActivities({ ...parts, recordOutcome: (i) => { oneStatement += 1; return parts.recordOutcome!(i); } });
    const settle = async (together: boolean) => {
      const s = await seed();
      const env = inWorkflow(s);
      await env.run(parts.markPending, { ...notice(s), deadline: new Date(Date.now() + 86_400_000).toISOString() });
      await env.run(parts.openApprovalTasks, { ...notice(s), step: 0, approverIds: s.approvers.map((p) => p.id), seats: ownSeats(s.approvers.map((p) => p.id)), dueAt: new Date().toISOString() });
      if (c.cancelledFirst) await dataSource.query(`UPDATE approvals SET status = 'cancelled' WHERE id = $1`, [s.approvalId]);
      const decider = c.decider === undefined ? null : s.approvers[c.decider].id;
      const decision = {
        ...notice(s), step: 0, decision: c.decision, userId: decider, comment: decider ? 'looked at it' : null, decidedAt: '2026-12-01T10:00:00.000Z',
        nextStep: null, closesStep: true, onBehalfOf: c.onBehalfOf === undefined ? null : s.approvers[c.onBehalfOf].id, via: c.via ?? (decider ? 'api' as const : null),
      };
      const completion = {
        ...notice(s), creatorId: s.creator.id, outcome: c.outcome, decision: c.decision, decidedBy: decider, comment: decision.comment, notifyUserIds: [], push: false,
      };
      const once = () => together
        ? env.run(counted.settleDecision, { decision, completion })
        : env.run(parts.recordDecision, decision).then(() => env.run(parts.completeApproval, completion));
      const results = [await once(), await once()];
      const id = [s.approvalId];
      const who = [s.approvalId, decider, decision.onBehalfOf];
      return {
        results,
        invoice: await dataSource.query('SELECT i.approval_status FROM invoices i JOIN approvals a ON a.invoice_id = i.id WHERE a.id = $1', id),
        approval: await dataSource.query('SELECT status, decided_at IS NOT NULL AS decided FROM approvals WHERE id = $1', id),
        decisions: await dataSource.query(`SELECT step, decision, comment, closes_step, via, decided_at, user_id IS NOT DISTINCT FROM $2::uuid AS by_decider,
                                                  on_behalf_of IS NOT DISTINCT FROM $3::uuid AS for_seat FROM approval_decisions WHERE approval_id = $1`, who),
        tasks: await dataSource.query('SELECT status, completed_by IS NOT DISTINCT FROM $2::uuid AS by_decider FROM tasks WHERE approval_id = $1 ORDER BY status', who.slice(0, 2)),
      };
    };
    const inTurn = await settle(false);
    const together = await settle(true);
    expect(oneStatement).toBe(2);
    expect(together).toEqual(inTurn);
    expect(together.results).toEqual([{ applied: !c.cancelledFirst }, { applied: !c.cancelledFirst }]);
    expect(together.approval).toEqual([{ status: c.cancelledFirst ? 'cancelled' : c.outcome, decided: !c.cancelledFirst }]);
    expect(together.decisions).toEqual([expect.objectContaining({ decision: c.decision, by_decider: true, for_seat: true, closes_step: true })]);
    expect(together.tasks.every((t: { status: string; by_decider: boolean }) => t.status === 'completed' && t.by_decider)).toBe(true);
  });

  it('changes and sends nothing when the API cancelled the approval before the outcome landed', async () => {
    const s = await seed();
    await dataSource.query(`UPDATE approvals SET status = 'cancelled' WHERE id = $1`, [s.approvalId]);
    await dataSource.query(`UPDATE invoices SET approval_status = 'approval_required' WHERE id = $1`, [s.invoiceId]);
    const a = createApprovalActivities({ dataSource, mailer: smtp });
    const outcome = {
      ...notice(s), creatorId: s.creator.id, outcome: 'rejected' as const, decision: 'timeout' as const, decidedBy: null, comment: null, notifyUserIds: [], push: true,
    };
    const result = await inWorkflow(s).run(a.completeApproval, outcome);
    expect(result).toEqual({ applied: false });
    expect(await inWorkflow(s).run(a.notifyApprovalOutcome, outcome)).toEqual({ notified: 0 });
    const [invoice] = await dataSource.query('SELECT approval_status FROM invoices WHERE id = $1', [s.invoiceId]);
    expect(invoice.approval_status).toBe('approval_required');
    expect(await mailsTo(s.creator.email)).toHaveLength(0);
  });

  it.each([['two statements', false], ['one statement', true]])(
    'leaves the document alone and tells nobody when an earlier submission\'s run settles late, its document submitted again since (%s)', async (_, together) => {
      const s = await seed();
      const a = createApprovalActivities({ dataSource, mailer: smtp });
      // Submission 1 was decided in Postgres (its run never heard it), the invoice edited and submitted again: submission 2 waits.
      await dataSource.query(`UPDATE approvals SET status = 'approved', decided_at = now() WHERE id = $1`, [s.approvalId]);
      await dataSource.query(`UPDATE invoices SET approval_status = 'pending_approval', approval_submissions = 2 WHERE id = $1`, [s.invoiceId]);
      await dataSource.query(`INSERT INTO approvals (company_id, invoice_id, submission, workflow_id, status, steps, deadline, submitted_by)
        SELECT company_id, invoice_id, 2, $2, 'pending', steps, deadline, submitted_by FROM approvals WHERE id = $1`, [s.approvalId, `${s.workflowId}-again`]);
      const decider = s.approvers[0].id;
      const decision = { ...notice(s), step: 0, decision: 'approved' as const, userId: decider, comment: 'fine', decidedAt: new Date().toISOString(), nextStep: null };
      const completion = { ...notice(s), creatorId: s.creator.id, outcome: 'approved' as const, decision: 'approved' as const, decidedBy: decider, comment: 'fine', notifyUserIds: [], push: false };
      const env = inWorkflow(s);
      if (together) await env.run(a.settleDecision, { decision, completion });
      else await env.run(a.recordDecision, decision).then(() => env.run(a.completeApproval, completion));
      const [invoice] = await dataSource.query('SELECT approval_status, approval_submissions FROM invoices WHERE id = $1', [s.invoiceId]);
      expect(invoice).toEqual({ approval_status: 'pending_approval', approval_submissions: 2 });
      // Nobody is told: the document is the later submission's now.
      expect(await env.run(a.notifyApprovalOutcome, completion)).toEqual({ notified: 0 });
      expect(await mailsTo(s.creator.email)).toHaveLength(0);
      expect(await count(`SELECT count(*) FROM webhook_events WHERE type = 'approval.decided' AND data ->> 'approvalId' = $1`, [s.approvalId])).toBe(0);
    });

  it('cancels: open tasks cancelled, invoice handed back to its creator', async () => {
    const s = await seed();
    const a = createApprovalActivities({ dataSource, mailer: smtp });
    const env = inWorkflow(s);
    await env.run(a.openApprovalTasks, { ...notice(s), step: 0, approverIds: s.approvers.map((p) => p.id), seats: ownSeats(s.approvers.map((p) => p.id)), dueAt: new Date().toISOString() });
    const cancel = { ...notice(s), step: 0, decision: 'cancelled' as const, userId: s.creator.id, comment: 'edited', decidedAt: new Date().toISOString() };
    await env.run(a.cancelApproval, cancel);
    await env.run(a.cancelApproval, cancel);

    expect(await dataSource.query('SELECT DISTINCT status FROM tasks WHERE approval_id = $1', [s.approvalId])).toEqual([{ status: 'cancelled' }]);
    const [invoice] = await dataSource.query('SELECT approval_status FROM invoices WHERE id = $1', [s.invoiceId]);
    expect(invoice.approval_status).toBe('approval_required');
    const [approval] = await dataSource.query('SELECT status FROM approvals WHERE id = $1', [s.approvalId]);
    expect(approval.status).toBe('cancelled');
  });
});
