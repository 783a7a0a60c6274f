import { type Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { ApprovalState, DecideInput } from '../contracts';
import type { DecisionCursor, RecordedDecision } from '../db/approvals.repository';
import { lostDecisionReconciler } from './lost-decision-reconciler';

const recorded = (n: number, over: Partial<RecordedDecision> = {}): RecordedDecision => ({
  approvalId: `approval-${n}`, workflowId: `invoice-approval-${n}-1`, step: 0, decision: 'rejected', userId: `user-${n}`,
  isAdmin: false, comment: 'over budget', via: 'email', decidedAt: new Date(),
  cursor: `2026-12-07T09:00:00.${String(n).padStart(6, '0')}Z`, ...over,
});

/**
 * A Temporal that answers each run's state from `states` (an Error: thrown), records the Updates it is sent and answers
 * them with `settled` (the run's state after it; an Error: thrown).
 */
function fakeTemporal(states: Record<string, Partial<ApprovalState> | Error>, settled: Partial<ApprovalState> | Error = { status: 'rejected', currentStep: 0 }) {
  const updates: { workflowId: string; updateId?: string; args: DecideInput[] }[] = [];
  const queried: string[] = [];
  const client = {
    workflow: {
      getHandle: (workflowId: string) => ({
        query: async () => {
          queried.push(workflowId);
          const state = states[workflowId];
          if (state instanceof Error) throw state;
          if (!state) throw new WorkflowNotFoundError('not found', workflowId, undefined);
          return state;
        },
        executeUpdate: async (_update: unknown, options: { updateId?: string; args: DecideInput[] }) => {
          updates.push({ workflowId, ...options });
          if (settled instanceof Error) throw settled;
          return settled;
        },
      }),
    },
  } as unknown as Pick<Client, 'workflow'>;
  return { client, updates, queried };
}

const NIL = '00000000-0000-0000-0000-000000000000';
const MAX = 'ffffffff-ffff-ffff-ffff-ffffffffffff';
/** Where the looks read up to, and start again from, until a test moves them. */
interface Clock { upTo: DecisionCursor; rereadFrom: DecisionCursor; failOnRead?: number }

/**
 * Postgres' answer in pages, as findUnendedDecisions pages it: decided after the cursor and by `upTo`, at most `limit`
 * (cursors compare as text: the fixtures' are of one format). decidedBefore answers `clock`; the `failOnRead`th read
 * of a page fails, as a Postgres going away would.
 */
function fakeApprovals(rows: RecordedDecision[], clock: Clock = { upTo: { cursor: '9999', approvalId: MAX }, rereadFrom: { cursor: '0000', approvalId: NIL } }) {
  const calls: { minAgeMs?: number; after?: string }[] = [];
  let reads = 0;
  const later = (r: DecisionCursor, than: DecisionCursor) => r.cursor > than.cursor || (r.cursor === than.cursor && r.approvalId > than.approvalId);
  return {
    calls,
    decidedBefore: async (minAgeMs: number) => {
      calls.push({ minAgeMs });
      return { upTo: clock.upTo, rereadFrom: clock.rereadFrom };
    },
    findUnendedDecisions: async ({ upTo, limit, after }: { upTo: DecisionCursor; maxAgeMs: number; limit: number; after?: DecisionCursor }) => {
      calls.push({ after: after && `${after.cursor} ${after.approvalId}` });
      if (++reads === clock.failOnRead) throw new Error('Connection terminated unexpectedly');
      return rows.filter((r) => !later(r, upTo) && (!after || later(r, after))).slice(0, limit);
    },
  };
}

/** The cursors each read of a page started after (the calls to decidedBefore left out). */
const readsAfter = (approvals: ReturnType<typeof fakeApprovals>) => approvals.calls.filter((c) => c.minAgeMs === undefined).map((c) => c.after);

const logger = { warn: jest.fn(), error: jest.fn() };
const withinDeadline = <T>(call: () => Promise<T>) => call();

describe('lostDecisionReconciler', () => {
  it('tells a run that still waits at the decided step the recorded decision, in its words and channel, under one Update id', async () => {
    const temporal = fakeTemporal({ 'invoice-approval-1-1': { status: 'pending', currentStep: 0 } });
    const approvals = fakeApprovals([recorded(1)]);
    const told = await lostDecisionReconciler({ approvals, client: temporal.client, minAgeMs: 120_000, logger, withinDeadline }).tick();
    expect(told).toEqual(['invoice-approval-1-1']);
    expect(approvals.calls[0]).toEqual({ minAgeMs: 120_000 });
    expect(temporal.updates).toEqual([{
      workflowId: 'invoice-approval-1-1', updateId: 'retold-decision-of-step-0',
      args: [{ decision: 'reject', userId: 'user-1', isAdmin: false, reason: 'over budget', via: 'email', step: 0 }],
    }]);
  });

  it('leaves a run that heard its decision, or is at another step, or is gone, and does not ask it again', async () => {
    const temporal = fakeTemporal({
      'invoice-approval-1-1': { status: 'rejected', currentStep: 0 },
      'invoice-approval-2-1': { status: 'pending', currentStep: 1 },
    });
    const reconciler = lostDecisionReconciler({ approvals: fakeApprovals([recorded(1), recorded(2), recorded(3)]), client: temporal.client, minAgeMs: 120_000, logger, withinDeadline });
    expect(await reconciler.tick()).toEqual([]);
    expect(await reconciler.tick()).toEqual([]);
    expect(temporal.updates).toEqual([]);
    expect(temporal.queried).toEqual(['invoice-approval-1-1', 'invoice-approval-2-1', 'invoice-approval-3-1']);
  });

  it('asks again at the next look when Temporal could not be asked, and not after the run refused the decision', async () => {
    const unreachable = new Error('14 UNAVAILABLE: connection refused');
    const states: Record<string, Partial<ApprovalState> | Error> = {
      'invoice-approval-1-1': unreachable,
      'invoice-approval-2-1': { status: 'pending', currentStep: 0 },
    };
    const temporal = fakeTemporal(states);
    const refusing = {
      workflow: {
        getHandle: (workflowId: string) => ({
          ...temporal.client.workflow.getHandle(workflowId),
          executeUpdate: async () => { throw new WorkflowUpdateFailedError('Workflow Update failed', new Error('NotAnApprover')); },
        }),
      },
    } as unknown as Pick<Client, 'workflow'>;
    const reconciler = lostDecisionReconciler({ approvals: fakeApprovals([recorded(1), recorded(2)]), client: refusing, minAgeMs: 120_000, logger, withinDeadline });
    expect(await reconciler.tick()).toEqual([]);
    states['invoice-approval-1-1'] = { status: 'rejected', currentStep: 0 };
    expect(await reconciler.tick()).toEqual([]);
    expect(temporal.queried).toEqual(['invoice-approval-1-1', 'invoice-approval-2-1', 'invoice-approval-1-1']);
  });

  it('reads every page, each after the last row of the one before', async () => {
    const rows = Array.from({ length: 250 }, (_, i) => recorded(i));
    const temporal = fakeTemporal(Object.fromEntries(rows.map((r) => [r.workflowId, { status: 'pending', currentStep: 0 }])));
    const approvals = fakeApprovals(rows);
    const told = await lostDecisionReconciler({ approvals, client: temporal.client, minAgeMs: 120_000, logger, withinDeadline }).tick();
    expect(told).toHaveLength(250);
    expect(readsAfter(approvals)).toEqual([undefined, '2026-12-07T09:00:00.000099Z approval-99', '2026-12-07T09:00:00.000199Z approval-199']);
  });

  it('leaves a run that was told and still waits at the step (a quorum that counts other lost votes), and one that closed meanwhile', async () => {
    const quorum = fakeTemporal({ 'invoice-approval-1-1': { status: 'pending', currentStep: 0 } }, { status: 'pending', currentStep: 0 });
    const said = { warn: jest.fn(), error: jest.fn() };
    const reconciler = lostDecisionReconciler({ approvals: fakeApprovals([recorded(1)]), client: quorum.client, minAgeMs: 120_000, logger: said, withinDeadline });
    expect(await reconciler.tick()).toEqual([]);
    expect(await reconciler.tick()).toEqual([]);
    expect(quorum.updates).toHaveLength(1);
    expect(said.error).toHaveBeenCalledWith(expect.stringContaining('still waits at step 1'), expect.objectContaining({ workflowId: 'invoice-approval-1-1' }));

    const closed = fakeTemporal({ 'invoice-approval-2-1': { status: 'pending', currentStep: 0 } }, new WorkflowNotFoundError('workflow execution already completed', 'invoice-approval-2-1', undefined));
    const again = lostDecisionReconciler({ approvals: fakeApprovals([recorded(2)]), client: closed.client, minAgeMs: 120_000, logger, withinDeadline });
    expect(await again.tick()).toEqual([]);
    expect(await again.tick()).toEqual([]);
    expect(closed.queried).toEqual(['invoice-approval-2-1']);
  });

  it('asks runs a few at a time, each call to Temporal made inside the deadline', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => recorded(i));
    let inside = false;
    let outside = 0;
    const temporal = fakeTemporal(Object.fromEntries(rows.map((r) => [r.workflowId, { status: 'pending', currentStep: 0 }])));
    const watched = {
      workflow: {
        getHandle: (workflowId: string) => {
          const handle = temporal.client.workflow.getHandle(workflowId);
          const checked = <F extends (...args: never[]) => Promise<unknown>>(f: F) => ((...args: Parameters<F>) => {
            if (!inside) outside += 1;
            return f(...args);
          });
          return { ...handle, query: checked(handle.query), executeUpdate: checked(handle.executeUpdate) };
        },
      },
    } as unknown as Pick<Client, 'workflow'>;
    let inFlight = 0;
    let most = 0;
    let calls = 0;
    const counting = async <T>(call: () => Promise<T>) => {
      calls += 1;
      most = Math.max(most, ++inFlight);
      try {
        await new Promise((r) => setImmediate(r));
        inside = true;
        const answer = call();
        inside = false;
        return await answer;
      } finally {
        inFlight--;
      }
    };
    const told = await lostDecisionReconciler({ approvals: fakeApprovals(rows), client: watched, minAgeMs: 120_000, logger, withinDeadline: counting }).tick();
    expect(told).toHaveLength(20);
    expect([calls, outside]).toEqual([40, 0]);
    expect(most).toBe(8);
  });

  it('reads, at each next look, what became old enough since the last one and a while before; asks again the runs it could not ask', async () => {
    const [r1, r2, r3] = [recorded(1), recorded(2), recorded(3)];
    const states: Record<string, Partial<ApprovalState> | Error> = {
      [r1.workflowId]: new Error('14 UNAVAILABLE: connection refused'),
      [r2.workflowId]: { status: 'pending', currentStep: 0 },
      [r3.workflowId]: { status: 'pending', currentStep: 0 },
    };
    const temporal = fakeTemporal(states);
    const clock: Clock = { upTo: { cursor: r2.cursor, approvalId: MAX }, rereadFrom: { cursor: r1.cursor, approvalId: NIL } };
    const approvals = fakeApprovals([r1, r2, r3], clock);
    const reconciler = lostDecisionReconciler({ approvals, client: temporal.client, minAgeMs: 120_000, logger, withinDeadline });

    expect(await reconciler.tick()).toEqual([r2.workflowId]);
    states[r1.workflowId] = { status: 'pending', currentStep: 0 };
    Object.assign(clock, { upTo: { cursor: r3.cursor, approvalId: MAX }, rereadFrom: { cursor: r2.cursor, approvalId: NIL } });
    expect(await reconciler.tick()).toEqual([r1.workflowId, r3.workflowId]);
    expect(await reconciler.tick()).toEqual([]);
    expect(readsAfter(approvals)).toEqual([undefined, `${r1.cursor} ${NIL}`, `${r2.cursor} ${NIL}`]);
    expect(temporal.queried).toEqual([r1.workflowId, r2.workflowId, r1.workflowId, r3.workflowId]);
  });

  it('starts the next look where the last one started when a read of a page failed', async () => {
    const rows = Array.from({ length: 150 }, (_, i) => recorded(i));
    const temporal = fakeTemporal(Object.fromEntries(rows.map((r) => [r.workflowId, { status: 'rejected', currentStep: 0 }])));
    const clock: Clock = { upTo: { cursor: '9999', approvalId: MAX }, rereadFrom: { cursor: rows[120].cursor, approvalId: NIL }, failOnRead: 3 };
    const approvals = fakeApprovals(rows, clock);
    const reconciler = lostDecisionReconciler({ approvals, client: temporal.client, minAgeMs: 120_000, logger, withinDeadline });
    expect(await reconciler.tick()).toEqual([]);
    await expect(reconciler.tick()).rejects.toThrow('Connection terminated unexpectedly');
    await reconciler.tick();
    expect(readsAfter(approvals)).toEqual([
      undefined, `${rows[99].cursor} ${rows[99].approvalId}`,
      `${rows[120].cursor} ${NIL}`, `${rows[120].cursor} ${NIL}`,
    ]);
  });
});
