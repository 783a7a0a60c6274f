import { activationProblems, DefinitionError, normalizeDefinition, referencedGroupIds, referencedUserIds } from './definitions';
import { findTemplate } from './templates';

const U1 = '11111111-1111-4111-8111-111111111111';
const U2 = '22222222-2222-4222-8222-222222222222';
const G1 = 'aaaaaaaa-1111-4111-8111-111111111111';
const G2 = 'bbbbbbbb-2222-4222-8222-222222222222';
const approval = findTemplate('invoice-approval')!;
const dueReminder = findTemplate('payment-due-reminder')!;
const billReminder = findTemplate('bill-payment-reminder')!;
const en = { locale: 'en-US' };

describe(normalizeDefinition.name, () => {
  it('fills omitted parts from the template defaults in the company locale', () => {
    const fr = normalizeDefinition(dueReminder, { name: 'Rappel', actions: [{ type: 'email' }] }, { locale: 'fr-CA' });
    expect(fr).toEqual({
      templateKey: 'payment-due-reminder', name: 'Rappel',
      conditions: [{ field: 'balance', op: 'gt', value: '0.00' }, { field: 'dueDate', op: 'within_days', value: 3 }],
      actions: [{ type: 'email', to: 'customer', subject: dueReminder.defaults['fr-CA'].message.subject, body: dueReminder.defaults['fr-CA'].message.body }],
      schedule: { time: '09:00' },
    });
  });

  it('normalises the example of the product', () => {
    const definition = normalizeDefinition(approval, {
      name: 'Large invoices',
      conditions: [{ field: 'amount', op: 'gt', value: '1000.00' }],
      actions: [
        { type: 'approval', approverIds: [U1], timeoutDays: 30 },
        { type: 'email', to: { userIds: [U1] }, subject: 'Approve {{invoiceNumber}}', body: '{{money amount}}' },
        { type: 'push', userIds: [U2.toUpperCase()] },
      ],
    }, en);
    expect(definition.actions[0]).toMatchObject({ type: 'approval', steps: [{ approverIds: [U1] }], notify: { userIds: [] }, timeoutDays: 30, reminderDaysBefore: 1, allowAdmins: false });
    expect(definition.actions[1]).toEqual({ type: 'email', to: { userIds: [U1], emails: [] }, subject: 'Approve {{invoiceNumber}}', body: '{{money amount}}' });
    expect(definition.actions[2]).toMatchObject({ type: 'push', userIds: [U2] });
    expect(definition.schedule).toBeNull();
    expect(activationProblems(definition)).toEqual([]);
    expect(referencedUserIds(definition.actions).map((r) => r.path)).toEqual(['actions[0].steps[0].approverIds[0]', 'actions[1].to.userIds[0]', 'actions[2].userIds[0]']);
  });

  it('reads a step\'s quorum and escalation, and lists the escalation user among the referenced users', () => {
    const definition = normalizeDefinition(approval, {
      name: 'Two of three', actions: [{ type: 'approval', steps: [{ approverIds: [U1, U2], required: 2, escalateAfterDays: 3, escalateToId: U2.replace('2222-4', '3333-4') }] }],
    }, en);
    expect(definition.actions[0]).toMatchObject({ steps: [{ approverIds: [U1, U2], required: 2, escalateAfterDays: 3, escalateToId: U2.replace('2222-4', '3333-4') }] });
    expect(referencedUserIds(definition.actions).map((r) => r.path)).toEqual(['actions[0].steps[0].approverIds[0]', 'actions[0].steps[0].approverIds[1]', 'actions[0].steps[0].escalateToId']);
  });

  it('reads a step\'s groups and limit routing; a step naming groups may require more than its named approvers', () => {
    const definition = normalizeDefinition(approval, {
      actions: [{ type: 'approval', steps: [{ groupIds: [G1.toUpperCase(), G1], required: 3 }, { approverIds: [U1], groupIds: [G2], routing: 'limit' }] }],
    }, en);
    expect(definition.actions[0]).toMatchObject({
      steps: [{ approverIds: [], groupIds: [G1], required: 3 }, { approverIds: [U1], groupIds: [G2], routing: 'limit' }],
    });
    expect(activationProblems(definition)).toEqual([]);
    expect(referencedGroupIds(definition.actions)).toEqual([
      { groupId: G1, path: 'actions[0].steps[0].groupIds[0]' }, { groupId: G2, path: 'actions[0].steps[1].groupIds[0]' },
    ]);
    const oneStep = normalizeDefinition(approval, { actions: [{ type: 'approval', groupIds: [G1], routing: 'limit' }] }, en);
    expect(oneStep.actions[0]).toMatchObject({ steps: [{ approverIds: [], groupIds: [G1], routing: 'limit' }] });
    expect(normalizeDefinition(approval, { actions: [{ type: 'approval', approverIds: [U1], groupIds: [] }] }, en).actions[0])
      .toMatchObject({ steps: [{ approverIds: [U1] }] });
  });

  it.each([
    [dueReminder, { name: '  ' }, 'name must not be empty'],
    [dueReminder, { conditions: [{ field: 'colour', op: 'eq', value: 'red' }] }, 'conditions[0]: unknown field "colour"'],
    [dueReminder, { conditions: [{ field: 'amount', op: 'gt', value: 12 }] }, 'conditions[0]: value 12 for "amount" gt must be a decimal string'],
    [dueReminder, { actions: [{ type: 'approval' }] }, 'actions[0]: action type "approval" is not available for template "payment-due-reminder"'],
    [dueReminder, { actions: [{ type: 'email', body: 'Hi {{customer}}' }] }, 'actions[0].body uses unknown variable "customer"'],
    [dueReminder, { actions: [{ type: 'email', subject: 'Hi {{customerName}' }] }, 'actions[0].subject does not compile'],
    [dueReminder, { actions: [{ type: 'email', to: 'everyone' }] }, 'actions[0].to must be "customer"'],
    [dueReminder, { actions: [{ type: 'email', to: { emails: ['nope'] } }] }, 'actions[0].to.emails[0]: "nope" is not an email address'],
    [dueReminder, { actions: [{ type: 'task', assigneeId: 'bob' }] }, 'actions[0].assigneeId: "bob" is not a user id'],
    [dueReminder, { actions: [{ type: 'memo' }] }, 'actions[0].text is required'],
    [dueReminder, { actions: [{ type: 'email', cc: [] }] }, 'actions[0]: unexpected property "cc"'],
    [dueReminder, { schedule: { time: '9am' } }, 'schedule.time must be HH:MM'],
    [approval, { schedule: { time: '09:00' } }, 'template "invoice-approval" is not scheduled'],
    [approval, { actions: [{ type: 'approval', approverIds: [U1], steps: [] }] }, 'either approverIds (one step) or steps'],
    [approval, { actions: [{ type: 'approval', approverIds: ['x'] }] }, 'actions[0].approverIds[0]: "x" is not a user id'],
    [approval, { actions: [{ type: 'approval', timeoutDays: 0 }] }, 'actions[0].timeoutDays must be a whole number from 1 to 365'],
    [approval, { actions: [{ type: 'approval' }, { type: 'approval' }] }, 'at most one approval action'],
    [approval, { actions: [{ type: 'approval', approverIds: [U1, U2], required: 3 }] }, 'actions[0].required must be a whole number from 1 to 2'],
    [approval, { actions: [{ type: 'approval', steps: [{ approverIds: [U1], escalateAfterDays: 2 }] }] }, 'escalateAfterDays and escalateToId go together'],
    [approval, { actions: [{ type: 'approval', steps: [{ approverIds: [U1], escalateAfterDays: 0, escalateToId: U2 }] }] }, 'actions[0].steps[0].escalateAfterDays must be a whole number from 1'],
    [approval, { actions: [{ type: 'approval', steps: [{ approverIds: [U1], escalateAfterDays: 2, escalateToId: U1 }] }] }, 'escalateToId is already an approver'],
    [approval, { actions: [{ type: 'approval', steps: [{ approverIds: [U1] }], required: 1 }] }, 'actions[0].required: with steps, give it on each step'],
    [approval, { actions: [{ type: 'approval', steps: [{ approverIds: [U1] }], groupIds: [G1] }] }, 'actions[0].groupIds: with steps, give it on each step'],
    [approval, { actions: [{ type: 'approval', groupIds: ['finance'] }] }, 'actions[0].groupIds[0]: "finance" is not a group id'],
    [approval, { actions: [{ type: 'approval', groupIds: G1 }] }, 'actions[0].groupIds must be a list of group ids'],
    [approval, { actions: [{ type: 'approval', approverIds: [U1], routing: 'amount' }] }, 'actions[0].routing must be "limit"'],
    [approval, { actions: [{ type: 'approval', steps: [{ groupIds: [G1], required: 101 }] }] }, 'actions[0].steps[0].required must be a whole number from 1 to 100'],
    [billReminder, { actions: [{ type: 'email', to: 'customer' }] }, '"customer" is not available for the team template "bill-payment-reminder"'],
  ])('refuses bad input %#', (template, input, message) => {
    expect(() => normalizeDefinition(template, input, en)).toThrow(DefinitionError);
    expect(() => normalizeDefinition(template, input, en)).toThrow(message);
  });

  it.each([
    [dueReminder, { name: ' ' }, 'name'],
    [dueReminder, { conditions: [{ field: 'amount', op: 'gt', value: 1 }] }, 'conditions.0'],
    [dueReminder, { conditions: Array(51).fill({ field: 'amount', op: 'gt', value: '1' }) }, 'conditions'],
    [dueReminder, { actions: Array(21).fill({ type: 'memo', text: 'x' }) }, 'actions'],
    [dueReminder, { actions: [{ type: 'email', to: { emails: ['a@b.co', 'nope'] } }] }, 'actions.0.to.emails.1'],
    [approval, { actions: [{ type: 'approval', steps: [{ approverIds: [U1], escalateAfterDays: 0, escalateToId: U2 }] }] }, 'actions.0.steps.0.escalateAfterDays'],
    [dueReminder, { schedule: { time: '9am' } }, 'schedule.time'],
  ])('names the field of bad input %# by its dotted path', (template, input, field) => {
    expect(() => normalizeDefinition(template, input, en)).toThrow(expect.objectContaining({ field }));
  });

  // Strings that make a backtracking address pattern quadratic: a long address is refused for its length before any
  // pattern reads it (200 kB would hold the event loop for about a minute).
  it.each([
    ['dots', `a@${'.'.repeat(200_000)}@`],
    ['labels', `a@${'a.'.repeat(100_000)} `],
    ['local part', `${'a'.repeat(200_000)}@example.com`],
  ])('refuses a 200 kB address (%s) for its length', (_, address) => {
    expect(() => normalizeDefinition(dueReminder, { actions: [{ type: 'email', to: { emails: [address] } }] }, en))
      .toThrow('actions[0].to.emails[0] is longer than 254 characters');
  });

  it.each([
    ['ap@books.example.com', true], ['a.b+c@x.io', true], ['a@b', false], ['a@b.', false], ['a@.b', false], ['a@b..c', false],
    ['a b@c.d', false], ['a@b@c.d', false], ['@b.c', false],
  ])('reads %s as an address: %s', (address, ok) => {
    const normalize = () => normalizeDefinition(dueReminder, { actions: [{ type: 'email', to: { emails: [address] } }] }, en);
    if (ok) expect(normalize().actions[0]).toMatchObject({ to: { emails: [address] } });
    else expect(normalize).toThrow(`actions[0].to.emails[0]: ${JSON.stringify(address)} is not an email address`);
  });
});

describe(activationProblems.name, () => {
  it('names every missing recipient, assignee and approver', () => {
    const definition = normalizeDefinition(approval, {
      actions: [{ type: 'approval', steps: [{ approverIds: [U1] }, { approverIds: [] }] }, { type: 'push' }, { type: 'email', to: { emails: [] } }],
    }, en);
    expect(activationProblems(definition)).toEqual([
      'actions[0] (approval): step 2 has no approver; set steps[1].approverIds or steps[1].groupIds',
      'actions[1] (push): no recipient; set userIds',
      'actions[2] (email): no recipient; set to.userIds or to.emails',
    ]);
    expect(activationProblems({ templateKey: 'invoice-approval', actions: [] })).toEqual([
      'no actions: add at least one action',
      'no approval action: an invoice-approval definition needs { "type": "approval", "approverIds": [...] }',
    ]);
  });
});

describe('task actions given to a candidate group', () => {
  const sequence = findTemplate('collection-sequence')!;
  const step = (task: Record<string, unknown>) => ({ offsetDays: 3, subject: 's', body: 'b', task: { title: 'Call', ...task } });

  it('takes candidateGroupId beside or instead of assigneeId, and checks the group like an approver group', () => {
    const d = normalizeDefinition(dueReminder, {
      actions: [{ type: 'task', candidateGroupId: G1.toUpperCase(), title: 't' }, { type: 'task', assigneeId: U1, candidateGroupId: G2, title: 't' }],
    }, en);
    expect(d.actions).toEqual([
      { type: 'task', assigneeId: null, candidateGroupId: G1, title: 't', description: '' },
      { type: 'task', assigneeId: U1, candidateGroupId: G2, title: 't', description: '' },
    ]);
    expect(activationProblems(d)).toEqual([]);
    expect(referencedUserIds(d.actions)).toEqual([{ userId: U1, path: 'actions[1].assigneeId' }]);
    expect(referencedGroupIds(d.actions)).toEqual([{ groupId: G1, path: 'actions[0].candidateGroupId' }, { groupId: G2, path: 'actions[1].candidateGroupId' }]);
    expect(normalizeDefinition(dueReminder, { actions: [{ type: 'task', assigneeId: U1, candidateGroupId: null, title: 't' }] }, en).actions[0])
      .toEqual({ type: 'task', assigneeId: U1, title: 't', description: '' });
    expect(activationProblems(normalizeDefinition(dueReminder, { actions: [{ type: 'task' }] }, en)))
      .toEqual(['actions[0] (task): no assignee; set assigneeId or candidateGroupId']);
    expect(() => normalizeDefinition(dueReminder, { actions: [{ type: 'task', candidateGroupId: 'finance' }] }, en))
      .toThrow('actions[0].candidateGroupId: "finance" is not a group id');
  });

  it('takes a sequence step\'s task for a group, and refuses one for nobody', () => {
    const d = normalizeDefinition(sequence, { steps: [step({ candidateGroupId: G1 })] }, en);
    expect(d.sequence!.steps[0].task).toEqual({ candidateGroupId: G1, title: 'Call', description: '' });
    expect(referencedUserIds(d.actions, d.sequence)).toEqual([]);
    expect(referencedGroupIds(d.actions, d.sequence)).toEqual([{ groupId: G1, path: 'steps[0].task.candidateGroupId' }]);
    const both = normalizeDefinition(sequence, { steps: [step({ assigneeId: U1, candidateGroupId: G1 })] }, en);
    expect(both.sequence!.steps[0].task).toEqual({ assigneeId: U1, candidateGroupId: G1, title: 'Call', description: '' });
    expect(() => normalizeDefinition(sequence, { steps: [step({})] }, en)).toThrow('steps[0].task needs "assigneeId" or "candidateGroupId"');
    expect(() => normalizeDefinition(sequence, { steps: [step({ candidateGroupId: 7 })] }, en)).toThrow('steps[0].task.candidateGroupId: 7 is not a group id');
  });
});

describe('collection-sequence definitions', () => {
  const sequence = findTemplate('collection-sequence')!;
  const step = (offsetDays: number, extra: Record<string, unknown> = {}) => ({ offsetDays, subject: 'Invoice {{invoiceNumber}}', body: '{{money balance}}', ...extra });

  it('takes ordered steps and a catch-up policy, latest by default', () => {
    const d = normalizeDefinition(sequence, { steps: [step(-3), step(1, { attachInvoicePdf: true }), step(7, { task: { assigneeId: U1.toUpperCase(), title: 'Call {{customerName}}' } })] }, en);
    expect(d.sequence).toEqual({
      catchUp: 'latest',
      groupBy: null,
      steps: [
        { offsetDays: -3, subject: 'Invoice {{invoiceNumber}}', body: '{{money balance}}', attachInvoicePdf: false },
        { offsetDays: 1, subject: 'Invoice {{invoiceNumber}}', body: '{{money balance}}', attachInvoicePdf: true },
        { offsetDays: 7, subject: 'Invoice {{invoiceNumber}}', body: '{{money balance}}', attachInvoicePdf: false, task: { assigneeId: U1, title: 'Call {{customerName}}', description: '' } },
      ],
    });
    expect(d.actions).toEqual([]);
    expect(activationProblems(d)).toEqual([]);
    expect(referencedUserIds(d.actions, d.sequence)).toEqual([{ userId: U1, path: 'steps[2].task.assigneeId' }]);
    expect(normalizeDefinition(sequence, { catchUp: 'all' }, { locale: 'fr-CA' }).sequence!.steps.map((s) => s.offsetDays)).toEqual([-3, 1, 7]);
  });

  it.each([
    [{ steps: [] }, 'steps must be a list of 1 to 20 steps'],
    [{ steps: [step(1), step(1)] }, 'steps[1].offsetDays (1) must be after steps[0].offsetDays (1)'],
    [{ steps: [step(5), step(-2)] }, 'steps[1].offsetDays (-2) must be after'],
    [{ steps: [{ subject: 'a', body: 'b' }] }, 'steps[0].offsetDays is required'],
    [{ steps: [step(1.5)] }, 'steps[0].offsetDays must be a whole number from -365 to 365'],
    [{ steps: [step(1, { subject: '{{nope}}' })] }, 'steps[0].subject'],
    [{ steps: [step(1, { when: 'x' })] }, 'steps[0]: unexpected property "when"'],
    [{ steps: [step(1, { task: { assigneeId: 'x', title: 't' } })] }, 'steps[0].task.assigneeId: "x" is not a user id'],
    [{ catchUp: 'some' }, 'catchUp must be one of latest, none, all, not "some"'],
  ])('refuses %j naming the culprit', (input, message) => {
    expect(() => normalizeDefinition(sequence, input, en)).toThrow(DefinitionError);
    expect(() => normalizeDefinition(sequence, input, en)).toThrow(message);
  });

  it('refuses steps and catchUp on the other templates', () => {
    expect(() => normalizeDefinition(dueReminder, { steps: [step(1)] }, en)).toThrow('steps: only a collection-sequence has steps');
    expect(() => normalizeDefinition(dueReminder, { catchUp: 'none' }, en)).toThrow('catchUp: only a collection-sequence');
    expect(() => normalizeDefinition(dueReminder, { groupBy: 'customer' }, en)).toThrow('groupBy: only a collection-sequence');
  });

  describe('grouped by customer (statements)', () => {
    const statementStep = (offsetDays: number, extra: Record<string, unknown> = {}) =>
      ({ offsetDays, subject: '{{invoiceCount}} invoices', body: '{{invoiceList}}\n{{money totalBalance}}', ...extra });

    it('takes groupBy "customer", and null or omitted as one email per invoice', () => {
      expect(normalizeDefinition(sequence, { groupBy: 'customer', steps: [statementStep(1)] }, en).sequence).toMatchObject({ groupBy: 'customer' });
      expect(normalizeDefinition(sequence, { groupBy: null }, en).sequence!.groupBy).toBeNull();
      expect(normalizeDefinition(sequence, {}, en).sequence!.groupBy).toBeNull();
    });

    it("checks the steps' texts against the statement's variables, and gives statement steps by default", () => {
      const d = normalizeDefinition(sequence, { groupBy: 'customer' }, { locale: 'fr-CA' });
      expect(d.sequence!.steps.map((s) => s.offsetDays)).toEqual([-3, 1, 7]);
      expect(d.sequence!.steps[0].body).toContain('{{invoiceList}}');
      expect(() => normalizeDefinition(sequence, { groupBy: 'customer', steps: [step(1)] }, en))
        .toThrow('steps[0].subject uses unknown variable "invoiceNumber"');
      expect(() => normalizeDefinition(sequence, { groupBy: 'customer', steps: [statementStep(1, { task: { assigneeId: U1, title: '{{invoiceNumber}}' } })] }, en))
        .toThrow('steps[0].task.title uses unknown variable "invoiceNumber"');
      expect(() => normalizeDefinition(sequence, { steps: [statementStep(1)] }, en)).toThrow('steps[0].subject uses unknown variable "invoiceCount"');
    });

    it.each([
      [{ groupBy: 'invoice' }, 'groupBy must be "customer" (one statement email per customer and run) or null (one email per invoice), not "invoice"'],
      [{ groupBy: 3 }, 'groupBy must be "customer"'],
      [{ groupBy: ['customer'] }, 'groupBy must be "customer"'],
    ])('refuses %j naming the culprit', (input, message) => {
      expect(() => normalizeDefinition(sequence, input, en)).toThrow(DefinitionError);
      expect(() => normalizeDefinition(sequence, input, en)).toThrow(message);
    });
  });
});
