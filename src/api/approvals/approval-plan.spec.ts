import { approvalPlan, ApprovalPlanError } from './approval-plan';

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

  it('ignores an email to the customer', () => {
    expect(approvalPlan([{ type: 'approval', approverIds: ['a'] }, { type: 'email', to: 'customer' }]).notifyUserIds).toEqual([]);
  });

  it.each([
    [[], 'no approval action'],
    [[{ type: 'approval' }], 'approverIds must be a list'],
    [[{ type: 'approval', approverIds: [] }], 'at least one approver'],
    [[{ type: 'approval', steps: [{ approverIds: ['a'] }, {}] }], 'step 2 approverIds'],
    [[{ type: 'approval', approverIds: ['a'], timeoutDays: 0 }], 'more than 0'],
    [[{ type: 'approval', approverIds: ['a'], timeoutDays: '30' }], 'timeoutDays must be a number'],
  ])('refuses %j: %s', (actions, message) => {
    expect(() => approvalPlan(actions)).toThrow(ApprovalPlanError);
    expect(() => approvalPlan(actions)).toThrow(message);
  });
});
