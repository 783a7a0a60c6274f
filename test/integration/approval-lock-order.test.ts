import { MockActivityEnvironment } from '@temporalio/testing';
import { Runtime } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createApprovalActivities } from '../../src/activities/approval.activities';
import type { Mailer } from '../../src/infra/mailer';
import { createDataSource } from '../../src/db/data-source';
import { seedPendingApproval, type SeededApproval } from '../support/approval-seed';
import { testEnv } from '../support/env';
import { until } from '../support/until';

type Seed = SeededApproval & { creatorId: string };


/**
 * An edit of a pending invoice (the API locks the invoice's row, then cancels its approval) caught between the
 * statements of an approval activity, forced in the order that deadlocked: the activity must wait for the invoice's
 * lock before it touches the approval, so the edit goes through and the activity then finds the approval cancelled.
 */
describe('approval activities and an edit of the invoice: one lock order', () => {
  let dataSource: DataSource;
  const mailer: Mailer = { send: async () => ({ messageId: 'unused' }), close: () => undefined };

  beforeAll(async () => {
    dataSource = createDataSource(testEnv().databaseUrl, 2);
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await Runtime.instance().shutdown();
  });

  async function seed() {
    const seeded = await seedPendingApproval(dataSource, { label: 'Locks', steps: (_, creatorId) => [{ approverIds: [creatorId] }, { approverIds: [creatorId] }] });
    return { ...seeded, creatorId: seeded.creator.id };
  }


  const notice = (s: Seed) => ({ approvalId: s.approvalId, companyId: s.companyId, invoiceId: s.invoiceId, invoiceNumber: 'INV-1' });
  const activities = () => createApprovalActivities({ dataSource, mailer });
  const run = <A, R>(s: Seed, fn: (input: A) => Promise<R>, input: A) =>
    new MockActivityEnvironment({ workflowExecution: { workflowId: s.workflowId, runId: randomUUID() } }).run(fn, input);

  it.each([
    ['completeApproval', (s: Seed) => run(s, activities().completeApproval, {
      ...notice(s), creatorId: s.creatorId, outcome: 'approved' as const, decision: 'approved' as const, decidedBy: s.creatorId, comment: null,
      notifyUserIds: [], push: false,
    })],
    ['settleDecision, ending the approval', (s: Seed) => run(s, activities().settleDecision, {
      decision: { ...notice(s), step: 0, decision: 'approved' as const, userId: s.creatorId, comment: null, decidedAt: new Date().toISOString(), nextStep: null },
      completion: {
        ...notice(s), creatorId: s.creatorId, outcome: 'approved' as const, decision: 'approved' as const, decidedBy: s.creatorId, comment: null,
        notifyUserIds: [], push: false,
      },
    })],
    ['recordDecision', (s: Seed) => run(s, activities().recordDecision, {
      ...notice(s), step: 0, decision: 'approved' as const, userId: s.creatorId, comment: null, decidedAt: new Date().toISOString(), nextStep: 1,
    })],
    ['markPending', (s: Seed) => run(s, activities().markPending, { ...notice(s), deadline: new Date(Date.now() + 86_400_000).toISOString() })],
    ['cancelApproval', (s: Seed) => run(s, activities().cancelApproval, {
      ...notice(s), step: 0, decision: 'cancelled' as const, userId: s.creatorId, comment: 'cancelled elsewhere', decidedAt: new Date().toISOString(),
    })],
  ])('%s waits for the edit that holds the invoice, and the edit goes through', async (_, activity) => {
    const s = await seed();
    const edit = new Client({ connectionString: testEnv().databaseUrl, application_name: 'edit' });
    await edit.connect();
    try {
      await edit.query('BEGIN');
      await edit.query('SELECT id FROM invoices WHERE id = $1 FOR UPDATE', [s.invoiceId]);
      const settled = activity(s).then(() => 'done', (err: Error) => err.message);
      // The activity's statement is waiting on a lock: the edit's invoice row, if the order is right.
      await until(() => dataSource.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND application_name <> 'edit'`),
      (rows: { n: number }[]) => rows[0].n > 0, 'the activity to wait for a lock', { attempts: 100, intervalMs: 20 });
      // What the API's edit does next with the invoice locked: cancel the approval, hand the invoice back.
      await edit.query(`UPDATE approvals SET status = 'cancelled', decided_at = now() WHERE id = $1 AND status = 'pending'`, [s.approvalId]);
      await edit.query(`INSERT INTO approval_decisions (approval_id, step, decision, user_id, comment, decided_at)
                        VALUES ($1, 0, 'cancelled', $2, 'invoice edited', now()) ON CONFLICT DO NOTHING`, [s.approvalId, s.creatorId]);
      await edit.query(`UPDATE invoices SET approval_status = 'approval_required' WHERE id = $1`, [s.invoiceId]);
      await edit.query('COMMIT');
      expect(await settled).toBe('done');
    } finally {
      await edit.end();
    }
    const [state] = await dataSource.query(
      `SELECT i.approval_status AS invoice, a.status AS approval, a.current_step AS step,
              (SELECT array_agg(decision) FROM approval_decisions d WHERE d.approval_id = a.id) AS decisions
         FROM invoices i JOIN approvals a ON a.invoice_id = i.id WHERE i.id = $1`, [s.invoiceId]);
    // The edit won: whatever the activity did after it changed nothing the edit decided.
    expect(state).toEqual({ invoice: 'approval_required', approval: 'cancelled', step: 0, decisions: ['cancelled'] });
  });
});
