import type { DataSource } from 'typeorm';
import { ApprovalsRepository } from '../../src/db/approvals.repository';
import { createDataSource } from '../../src/db/data-source';
import { seedPendingApproval } from '../support/approval-seed';
import { testEnv } from '../support/env';

/**
 * The worker's look for decisions their run never heard of reads Postgres for decided approvals whose run has not
 * ended: only decisions old enough that a live one would long have been answered, not older than its look-back, and
 * only a person's decision (a deadline's is the run's own). Other suites decide approvals in the same database at the
 * same time: each case asks only whether its own approvals are in the answer.
 */
describe('decided approvals whose run has not ended', () => {
  let dataSource: DataSource;
  let approvals: ApprovalsRepository;

  beforeAll(async () => {
    dataSource = createDataSource(testEnv().databaseUrl, 2);
    await dataSource.initialize();
    approvals = new ApprovalsRepository(dataSource);
  });
  afterAll(async () => {
    await dataSource?.destroy();
  });

  /**
   * An approval as a decision recorded `ago` (a Postgres interval) leaves it, its run's history row `runStatus`;
   * `twoSteps`: the approval had two steps, the first approved before.
   */
  async function decided(ago: string, o: { runStatus?: 'running' | 'completed'; decision?: 'approved' | 'rejected' | 'timeout'; twoSteps?: boolean } = {}) {
    const seeded = await seedPendingApproval(dataSource, {
      label: 'Unended', approvers: [{ name: 'Ann', role: 'admin' }], ...(o.twoSteps ? { steps: (ids: string[]) => [{ approverIds: ids }, { approverIds: ids }] } : {}),
    });
    const decision = o.decision ?? 'rejected';
    const approver = seeded.approvers[0].id;
    const status = decision === 'timeout' ? 'rejected' : decision;
    await dataSource.query(`INSERT INTO workflow_runs (company_id, kind, trigger, temporal_workflow_id, temporal_run_id, status)
      VALUES ($1, 'approval', 'submit-for-approval', $2, 'run-1', $3)`, [seeded.companyId, seeded.workflowId, o.runStatus ?? 'running']);
    if (o.twoSteps) {
      await dataSource.query(`INSERT INTO approval_decisions (approval_id, step, decision, user_id, comment, decided_at, closes_step, via)
        VALUES ($1, 0, 'approved', $2, 'fine by me', now() - interval '1 hour', true, 'api')`, [seeded.approvalId, approver]);
    }
    await dataSource.query(`INSERT INTO approval_decisions (approval_id, step, decision, user_id, comment, decided_at, closes_step, via)
      VALUES ($1, $5, $2, $3, 'too much', now() - $4::interval, true, 'email')`,
    [seeded.approvalId, decision, decision === 'timeout' ? null : approver, ago, o.twoSteps ? 1 : 0]);
    await dataSource.query(`UPDATE approvals SET status = $2, decided_at = now() - $3::interval, current_step = $4 WHERE id = $1`,
      [seeded.approvalId, status, ago, o.twoSteps ? 1 : 0]);
    await dataSource.query(`UPDATE invoices SET approval_status = $2 WHERE id = $1`, [seeded.invoiceId, status]);
    return { ...seeded, approver };
  }

  const unended = async () => {
    const found = [];
    let after;
    for (;;) {
      const page = await approvals.findUnendedDecisions({ minAgeMs: 120_000, maxAgeMs: 86_400_000, limit: 50, after });
      found.push(...page);
      if (page.length < 50) return found;
      after = page[page.length - 1];
    }
  };

  it('answers a person\'s decision of a few minutes ago whose run still runs, with what the run must be told', async () => {
    const lost = await decided('3 minutes');
    const found = (await unended()).filter((r) => r.approvalId === lost.approvalId);
    expect(found).toEqual([{
      approvalId: lost.approvalId, workflowId: lost.workflowId, step: 0, decision: 'rejected', userId: lost.approver,
      isAdmin: true, comment: 'too much', via: 'email', decidedAt: expect.any(Date), cursor: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+\+00$/),
    }]);
  });

  it('answers the decision of the step that ended the approval, not an earlier step\'s', async () => {
    const lost = await decided('4 minutes', { twoSteps: true });
    const found = (await unended()).filter((r) => r.approvalId === lost.approvalId);
    expect(found.map((r) => [r.step, r.decision, r.comment])).toEqual([[1, 'rejected', 'too much']]);
  });

  it('leaves a decided submission of a document submitted again since', async () => {
    const lost = await decided('3 minutes');
    await dataSource.query(`UPDATE invoices SET approval_status = 'pending_approval', approval_submissions = 2 WHERE id = $1`, [lost.invoiceId]);
    expect((await unended()).map((r) => r.approvalId)).not.toContain(lost.approvalId);
  });

  it('leaves a decision too recent, too old, of a run that ended, or the deadline\'s own', async () => {
    const left = [
      await decided('1 minute'),
      await decided('2 days'),
      await decided('3 minutes', { runStatus: 'completed' }),
      await decided('3 minutes', { decision: 'timeout' }),
    ].map((s) => s.approvalId);
    const lost = await decided('5 minutes');
    const found = (await unended()).map((r) => r.approvalId);
    expect(found).toContain(lost.approvalId);
    expect(found.filter((id) => left.includes(id))).toEqual([]);
  });
});
