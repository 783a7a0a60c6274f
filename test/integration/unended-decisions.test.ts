import type { DataSource } from 'typeorm';
import { ApprovalsRepository, type RecordedDecision } from '../../src/db/approvals.repository';
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
  async function decided(ago: string, o: { runStatus?: 'running' | 'completed'; decision?: 'approved' | 'rejected' | 'timeout'; twoSteps?: boolean; at?: string } = {}) {
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
    await dataSource.query(`UPDATE approvals SET status = $2, decided_at = coalesce($5::timestamptz, now() - $3::interval), current_step = $4 WHERE id = $1`,
      [seeded.approvalId, status, ago, o.twoSteps ? 1 : 0, o.at ?? null]);
    await dataSource.query(`UPDATE invoices SET approval_status = $2 WHERE id = $1`, [seeded.invoiceId, status]);
    return { ...seeded, approver };
  }

  /** Every page, `limit` rows each, as the worker reads them; a page that does not move past the one before fails. */
  const unended = async (limit = 50) => {
    const found: RecordedDecision[] = [];
    let after: RecordedDecision | undefined;
    const { upTo } = await approvals.decidedBefore(120_000, 300_000);
    for (;;) {
      const page = await approvals.findUnendedDecisions({ upTo, maxAgeMs: 86_400_000, limit, after });
      if (after && page.some((r) => r.approvalId === after?.approvalId)) throw new Error(`the page after ${after.approvalId} starts with it again`);
      found.push(...page);
      if (page.length < limit) return found;
      after = page[page.length - 1];
    }
  };

  it('answers a person\'s decision of a few minutes ago whose run still runs, with what the run must be told', async () => {
    const lost = await decided('3 minutes');
    const found = (await unended()).filter((r) => r.approvalId === lost.approvalId);
    expect(found).toEqual([{
      approvalId: lost.approvalId, workflowId: lost.workflowId, step: 0, decision: 'rejected', userId: lost.approver,
      isAdmin: true, comment: 'too much', via: 'email', decidedAt: expect.any(Date), cursor: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
    }]);
  });

  it('answers the decision of the step that ended the approval, not an earlier step\'s', async () => {
    const lost = await decided('4 minutes', { twoSteps: true });
    const found = (await unended()).filter((r) => r.approvalId === lost.approvalId);
    expect(found.map((r) => [r.step, r.decision, r.comment])).toEqual([[1, 'rejected', 'too much']]);
  });

  it.each([
    ['submitted again since, and pending', 'pending_approval', 2],
    ['submitted again since, and rejected again', 'rejected', 2],
    ['edited since (approval required again)', 'approval_required', 1],
  ])('leaves a decided submission of a document %s', async (_, status, submissions) => {
    const lost = await decided('3 minutes');
    await dataSource.query(`UPDATE invoices SET approval_status = $2, approval_submissions = $3 WHERE id = $1`, [lost.invoiceId, status, submissions]);
    expect((await unended()).map((r) => r.approvalId)).not.toContain(lost.approvalId);
  });

  it('pages past decisions a microsecond apart, within one millisecond', async () => {
    const [{ at }] = await dataSource.query(`SELECT (date_trunc('milliseconds', now() - interval '3 minutes') + interval '400 microseconds')::text AS at`);
    const first = await decided('3 minutes', { at });
    const second = await decided('3 minutes', { at: (await dataSource.query(`SELECT ($1::timestamptz + interval '1 microsecond')::text AS at`, [at]))[0].at });
    const found = (await unended(1)).map((r) => r.approvalId);
    expect(found).toEqual(expect.arrayContaining([first.approvalId, second.approvalId]));
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

  it('reads a window up to its end, the next one after it, and again from where a look starts again', async () => {
    const { upTo, rereadFrom } = await approvals.decidedBefore(120_000, 300_000);
    const atEnd = await decided('3 minutes', { at: upTo.cursor });
    const [{ at }] = await dataSource.query(`SELECT to_char(($1::timestamptz + interval '1 microsecond') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at`, [upTo.cursor]);
    const justAfter = await decided('3 minutes', { at });
    const [{ at: atStart }] = await dataSource.query(`SELECT $1::timestamptz::text AS at`, [rereadFrom.cursor]);
    const atRereadStart = await decided('3 minutes', { at: atStart });
    const ours = [atEnd, justAfter, atRereadStart].map((s) => s.approvalId);
    const read = async (after: typeof upTo | undefined, end: typeof upTo) =>
      (await approvals.findUnendedDecisions({ upTo: end, maxAgeMs: 86_400_000, limit: 10_000, after })).map((r) => r.approvalId).filter((id) => ours.includes(id));

    expect(await read(undefined, upTo)).toEqual([atRereadStart.approvalId, atEnd.approvalId]);
    const later = { cursor: at, approvalId: upTo.approvalId };
    expect(await read(upTo, later)).toEqual([justAfter.approvalId]);
    expect(await read(rereadFrom, later)).toEqual([atRereadStart.approvalId, atEnd.approvalId, justAfter.approvalId]);
  });
});
