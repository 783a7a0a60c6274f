import { approvalPlan, ApprovalPlanError, unreachableStep } from './approval-plan';

describe(approvalPlan.name, () => {
  it('reads one step, the defaults, and the people to notify from email and push actions', () => {
    expect(approvalPlan([
      { type: 'approval', approverIds: ['a', 'b', 'a'], notify: { userIds: ['n'] } },
      { type: 'email', to: { userIds: ['w'] }, subject: 's', body: 'b' },
      { type: 'push', userIds: ['w', 'x'] },
    ])).toEqual({
      steps: [{ approverIds: ['a', 'b'] }], allowAdmins: false, timeoutDays: 30, reminderDaysBefore: 1, notifyUserIds: ['n', 'w', 'x'], push: true,
    });
  });

  it('reads sequential steps, the timeout, admins and the reminder lead', () => {
    const plan = approvalPlan([{ type: 'approval', steps: [{ approverIds: ['a'] }, { approverIds: ['b', 'c'] }], timeoutDays: 7, allowAdmins: true, reminderDaysBefore: 2 }]);
    expect(plan).toMatchObject({ steps: [{ approverIds: ['a'] }, { approverIds: ['b', 'c'] }], timeoutDays: 7, allowAdmins: true, reminderDaysBefore: 2, push: false, notifyUserIds: [] });
  });

  it('carries a step\'s groups and limit routing through; a step naming groups needs no named approver', () => {
    expect(approvalPlan([{ type: 'approval', steps: [{ approverIds: [], groupIds: ['g', 'g'], required: 3 }, { approverIds: ['a'], routing: 'limit' }] }]).steps)
      .toEqual([{ approverIds: [], groupIds: ['g'], required: 3 }, { approverIds: ['a'], routing: 'limit' }]);
  });

  it('ignores an email to the customer', () => {
    expect(approvalPlan([{ type: 'approval', approverIds: ['a'] }, { type: 'email', to: 'customer' }]).notifyUserIds).toEqual([]);
  });

  it.each([
    [[], 'no approval action'],
    [[{ type: 'approval' }], 'approverIds must be a list'],
    [[{ type: 'approval', approverIds: [] }], 'at least one approver'],
    [[{ type: 'approval', approverIds: [], groupIds: [] }], 'at least one approver or approver group'],
    [[{ type: 'approval', approverIds: [], groupIds: 'g' }], 'groupIds must be a list of group ids'],
    [[{ type: 'approval', approverIds: ['a'], routing: 'amount' }], 'routing must be "limit"'],
    [[{ type: 'approval', steps: [{ approverIds: ['a'] }, {}] }], 'step 2 approverIds'],
    [[{ type: 'approval', approverIds: ['a'], timeoutDays: 0 }], 'more than 0'],
    [[{ type: 'approval', approverIds: ['a'], timeoutDays: '30' }], 'timeoutDays must be a number'],
  ])('refuses %j: %s', (actions, message) => {
    expect(() => approvalPlan(actions)).toThrow(ApprovalPlanError);
    expect(() => approvalPlan(actions)).toThrow(message);
  });
});

describe(unreachableStep.name, () => {
  const now = new Date('2026-03-02T09:00:00Z');
  const deadline = new Date('2026-04-01T09:00:00Z');
  const away = (delegatorId: string, delegateId: string, until = '2026-05-01T00:00:00Z') => ({ delegatorId, delegateId, from: '2026-03-01T00:00:00Z', until });

  it('counts distinct people: a seat delegated past the deadline to another approver of the step counts once', () => {
    const steps = [{ approverIds: ['a'] }, { approverIds: ['a', 'b', 'c'], required: 2 }];
    expect(unreachableStep(steps, 'creator', [], now, deadline)).toBeUndefined();
    expect(unreachableStep(steps, 'creator', [away('b', 'a'), away('c', 'a')], now, deadline)).toEqual({ step: 1, required: 2, people: 1 });
  });

  it('counts the seat as its own when the delegation ends before the deadline or has not started', () => {
    const steps = [{ approverIds: ['a', 'b'], required: 2 }];
    expect(unreachableStep(steps, 'creator', [away('b', 'a', '2026-03-10T00:00:00Z')], now, deadline)).toBeUndefined();
    expect(unreachableStep(steps, 'creator', [{ ...away('b', 'a'), from: '2026-03-05T00:00:00Z' }], now, deadline)).toBeUndefined();
  });

  it('counts a seat delegated to the creator as its delegator\'s', () => {
    expect(unreachableStep([{ approverIds: ['a', 'b'], required: 2 }], 'creator', [away('a', 'creator')], now, deadline)).toBeUndefined();
  });

  it('never counts the creator, and counts the escalation user', () => {
    expect(unreachableStep([{ approverIds: ['creator', 'a'], required: 2 }], 'creator', [], now, deadline)).toEqual({ step: 0, required: 2, people: 1 });
    expect(unreachableStep([{ approverIds: ['creator', 'a'], required: 2, escalateAfterDays: 3, escalateToId: 'boss' }], 'creator', [], now, deadline))
      .toBeUndefined();
  });

  it('leaves a step naming groups to when it opens, and checks the others', () => {
    expect(unreachableStep([{ approverIds: [], groupIds: ['g'], required: 5 }], 'creator', [], now, deadline)).toBeUndefined();
    expect(unreachableStep([{ approverIds: ['a'], groupIds: ['g'], required: 2 }, { approverIds: ['a'], required: 2 }], 'creator', [], now, deadline))
      .toEqual({ step: 1, required: 2, people: 1 });
  });

  it('counts the escalation user only when the escalation falls before the deadline, and reports that count', () => {
    const step = (escalateAfterDays: number) => [{ approverIds: ['creator', 'a'], required: 2, escalateAfterDays, escalateToId: 'boss' }];
    expect(unreachableStep(step(29), 'creator', [], now, deadline)).toBeUndefined();
    expect(unreachableStep(step(30), 'creator', [], now, deadline)).toEqual({ step: 0, required: 2, people: 1 });
    expect(unreachableStep(step(45), 'creator', [], now, deadline)).toEqual({ step: 0, required: 2, people: 1 });
  });
});
