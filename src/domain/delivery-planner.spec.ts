import { addDays } from './dates';
import {
  type PlanDefinition, type PlanFacts, planBatch, planRecord, PROMISE_GRACE_DAYS, promiseHoldsThrough, remindersPaused, type ReminderAction,
  SKIP_REASONS, type SkipReason, skipReason,
} from './delivery-planner';

const today = '2026-12-07'; // a Monday
const now = new Date('2026-12-07T15:00:00Z'); // 10:00 in Toronto
const ADA = '11111111-1111-4111-8111-111111111111';
const members = new Map([[ADA, { email: 'Ada@Team.test' }]]);

const facts = (over: Partial<PlanFacts> = {}): PlanFacts => ({
  id: 'inv-1', recordType: 'invoice', customerId: 'cus-1', customerEmail: 'Buyer@Example.test', remindersEnabled: true,
  pause: { at: null, until: null }, disputedAt: null, promisedOn: null, suppression: null, customerTimezone: null,
  dueDate: addDays(today, -1), lastStep: -1, ...over,
});

const definition = (templateKey: string, actions: ReminderAction[], over: Partial<PlanDefinition> = {}): PlanDefinition => ({
  templateKey, name: 'Reminders', actions, sequence: null, sendWindow: null, timezone: 'America/Toronto', ...over,
});
const remindCustomer = definition('payment-due-reminder', [{ type: 'email', to: 'customer', subject: 'Due', body: 'Pay' }]);
const sequence = definition('collection-sequence', [], {
  sequence: {
    catchUp: 'latest',
    steps: [
      { offsetDays: -3, subject: 'Soon', body: 'b', attachInvoicePdf: false },
      { offsetDays: 1, subject: 'Late', body: 'b', attachInvoicePdf: true, task: { assigneeId: ADA, title: 'Call', description: '' } },
    ],
  },
});

/** Each skip reason, as the facts that make it hold. */
const CAUSES: Record<SkipReason, Partial<PlanFacts>> = {
  suppressed: { suppression: { id: 'sup-1', reason: '550 5.1.1 no such user' } },
  opted_out: { remindersEnabled: false },
  disputed: { disputedAt: '2026-12-01 10:00:00+00' },
  promised: { promisedOn: addDays(today, 3) },
  paused: { pause: { at: '2026-12-01 10:00:00+00', until: null } },
};

/** The items of a plan as `outcome channel recipient [reason]`, for short tables. */
const items = (def: PlanDefinition, f: PlanFacts) => planRecord(def, f, members, { today, now })!.items.map((i) => (
  i.outcome === 'deliver' ? `deliver ${i.intent.channel} ${i.intent.recipient}` : `${i.outcome} ${i.slot.channel} ${i.slot.recipient} ${i.reason}`));

describe(skipReason.name, () => {
  it.each(SKIP_REASONS)('reports %s alone', (reason) => {
    expect(skipReason(facts(CAUSES[reason]), today)).toBe(reason);
  });

  it('reports nothing when no reason holds', () => {
    expect(skipReason(facts(), today)).toBeNull();
  });

  // Every combination of the reasons: the first in precedence order is the one reported.
  const combinations = Array.from({ length: 2 ** SKIP_REASONS.length }, (_, mask) => SKIP_REASONS.filter((_r, i) => mask & (1 << i)))
    .filter((c) => c.length > 1);
  it.each(combinations.map((c) => [c.join(' + '), c] as const))('%s: the first in precedence', (_name, reasons) => {
    const merged = Object.assign({}, ...reasons.map((r) => CAUSES[r]));
    expect(skipReason(facts(merged), today)).toBe(SKIP_REASONS.find((r) => reasons.includes(r)));
  });

  it(`holds a promise through its date plus ${PROMISE_GRACE_DAYS} days, and not a day more`, () => {
    const promisedOn = '2026-12-03';
    expect(promiseHoldsThrough(promisedOn)).toBe('2026-12-05');
    expect(skipReason(facts({ promisedOn }), '2026-12-05')).toBe('promised');
    expect(skipReason(facts({ promisedOn }), '2026-12-06')).toBeNull();
  });
});

describe(remindersPaused.name, () => {
  const paused = (until: string | null) => ({ at: '2026-11-20 10:00:00+00', until });

  it('is paused from the pause until the day before `until`, and for good without one', () => {
    expect(remindersPaused(paused('2026-12-03'), '2026-12-02')).toBe(true);
    expect(remindersPaused(paused(null), '2030-01-01')).toBe(true);
  });

  it('resumes by itself on the `until` day (an off-by-one here would hold a day more or a day less)', () => {
    expect(remindersPaused(paused('2026-12-02'), '2026-12-02')).toBe(false);
    expect(remindersPaused(paused('2026-12-01'), '2026-12-02')).toBe(false);
  });

  it('is not paused when never paused or resumed', () => {
    expect(remindersPaused({ at: null, until: null }, '2026-12-02')).toBe(false);
  });
});

describe(planRecord.name, () => {
  it.each(SKIP_REASONS)('skips a customer reminder that is %s, under the address it would have gone to', (reason) => {
    expect(items(remindCustomer, facts(CAUSES[reason]))).toEqual([`skip email buyer@example.test ${reason}`]);
  });

  it('sends a customer reminder to the lowercased address when nothing holds it back', () => {
    expect(items(remindCustomer, facts())).toEqual(['deliver email buyer@example.test']);
  });

  it.each([
    ['a team email', [{ type: 'email', to: { userIds: [ADA], emails: ['Ops@Team.test'] }, subject: 's', body: 'b' }], ['deliver email ada@team.test', 'deliver email ops@team.test']],
    ['a push', [{ type: 'push', userIds: [ADA] }], [`deliver push ${ADA}`]],
    ['a task', [{ type: 'task', assigneeId: ADA, title: 't' }], [`deliver task ${ADA}`]],
    ['a stamp', [{ type: 'stamp', text: 'OVERDUE' }], ['deliver stamp ']],
  ] as Array<[string, ReminderAction[], string[]]>)('goes on with %s beside a skipped customer reminder (only the customer is held back)', (_name, actions, expected) => {
    for (const reason of SKIP_REASONS) {
      expect(items(definition('payment-due-reminder', [{ type: 'email', to: 'customer', subject: 's', body: 'b' }, ...actions]), facts(CAUSES[reason])))
        .toEqual([`skip email buyer@example.test ${reason}`, ...expected]);
    }
  });

  it('holds back a transactional email only for a suppressed address (an invoice is sent whatever its reminders)', () => {
    const send = definition('send-unsent-invoices', [{ type: 'send', subject: 'Invoice', body: 'b' }]);
    expect(items(send, facts(CAUSES.suppressed))).toEqual(['skip send buyer@example.test suppressed']);
    for (const reason of ['opted_out', 'disputed', 'promised', 'paused'] as const) {
      expect(items(send, facts(CAUSES[reason]))).toEqual(['deliver send buyer@example.test']);
    }
    const receipt = definition('payment-received', [{ type: 'email', to: 'customer', subject: 'Thanks', body: 'b' }]);
    expect(items(receipt, facts({ recordType: 'payment', ...CAUSES.suppressed }))).toEqual(['skip email buyer@example.test suppressed']);
    expect(items(receipt, facts({ recordType: 'payment', ...CAUSES.opted_out }))).toEqual(['deliver email buyer@example.test']);
  });

  it.each([
    ['no_email_address', remindCustomer, facts({ customerEmail: null, ...CAUSES.suppressed }), 'refuse email customer no_email_address'],
    ['not_a_member (email)', definition('unsent-invoice-reminder', [{ type: 'email', to: { userIds: ['nobody'] }, subject: 's', body: 'b' }]), facts(), 'refuse email user:nobody not_a_member'],
    ['not_a_member (push)', definition('unsent-invoice-reminder', [{ type: 'push', userIds: ['nobody'] }]), facts(), 'refuse push nobody not_a_member'],
    ['not_a_member (task)', definition('unsent-invoice-reminder', [{ type: 'task', assigneeId: 'nobody', title: 't' }]), facts(), 'refuse task nobody not_a_member'],
    ['not_an_invoice', definition('bill-payment-reminder', [{ type: 'memo', text: 'm' }]), facts({ recordType: 'bill' }), 'refuse memo  not_an_invoice'],
    ['unknown_action', definition('unsent-invoice-reminder', [{ type: 'fax' } as unknown as ReminderAction]), facts(), 'refuse email action:fax unknown_action'],
  ])('refuses %s: the record\'s own failure, before any skip', (_name, def, f, expected) => {
    expect(items(def, f)).toEqual([expected]);
  });

  it('gives a sequence invoice its step of today, with its PDF and its task, and nothing when no step is due', () => {
    const plan = planRecord(sequence, facts(), members, { today, now })!;
    expect(plan.step).toBe(1);
    expect(plan.items).toEqual([
      { outcome: 'deliver', intent: expect.objectContaining({ channel: 'email', recipient: 'buyer@example.test', kind: 'reminder', attachPdf: true, sequenceStep: 1 }) },
      { outcome: 'deliver', intent: expect.objectContaining({ channel: 'task', assigneeId: ADA }) },
    ]);
    expect(planRecord(sequence, facts({ lastStep: 1 }), members, { today, now })).toBeNull();
    expect(planRecord(sequence, facts({ dueDate: addDays(today, 10) }), members, { today, now })).toBeNull();
  });

  it('gives a task to a candidate group: the recipient is the group, its intent has no assignee; beside an assignee, the assignee stays the recipient', () => {
    const G = 'aaaaaaaa-1111-4111-8111-111111111111';
    const plan = planRecord(definition('payment-due-reminder', [{ type: 'task', assigneeId: null, candidateGroupId: G, title: 't' }]), facts(), members, { today, now })!;
    expect(plan.items).toEqual([
      { outcome: 'deliver', intent: { channel: 'task', recipient: `group:${G}`, assigneeId: null, candidateGroupId: G, task: { subject: 't', body: '' } } },
    ]);
    expect(items(definition('payment-due-reminder', [{ type: 'task', assigneeId: ADA, candidateGroupId: G, title: 't' }]), facts())).toEqual([`deliver task ${ADA}`]);
    const both = planRecord(definition('payment-due-reminder', [{ type: 'task', assigneeId: ADA, candidateGroupId: G, title: 't' }]), facts(), members, { today, now })!;
    expect(both.items[0]).toMatchObject({ intent: { assigneeId: ADA, candidateGroupId: G } });
    const groupStep = definition('collection-sequence', [], {
      sequence: { catchUp: 'latest', steps: [{ offsetDays: 1, subject: 'Late', body: 'b', attachInvoicePdf: false, task: { candidateGroupId: G, title: 'Call', description: '' } }] },
    });
    expect(items(groupStep, facts())).toEqual(['deliver email buyer@example.test', `deliver task group:${G}`]);
    expect(items(groupStep, facts(CAUSES.paused))).toEqual(['skip email buyer@example.test paused', `skip task group:${G} paused`]);
  });

  it.each(SKIP_REASONS)('holds a whole sequence step that is %s: its task waits with its email', (reason) => {
    expect(items(sequence, facts(CAUSES[reason]))).toEqual([`skip email buyer@example.test ${reason}`, `skip task ${ADA} ${reason}`]);
  });

  it('says a promise is broken once its grace has passed, and sends the step', () => {
    const broken = planRecord(sequence, facts({ promisedOn: addDays(today, -PROMISE_GRACE_DAYS - 1) }), members, { today, now })!;
    expect(broken.promiseBroken).toBe(true);
    expect(broken.items.map((i) => i.outcome)).toEqual(['deliver', 'deliver']);
    const kept = planRecord(sequence, facts({ promisedOn: addDays(today, -PROMISE_GRACE_DAYS) }), members, { today, now })!;
    expect(kept.promiseBroken).toBe(false);
    expect(planRecord(sequence, facts(), members, { today, now })!.promiseBroken).toBe(false);
  });

  it.each(SKIP_REASONS.filter((r) => r !== 'promised'))('leaves a promise past its grace unbroken while the step is skipped as %s, or refused', (reason) => {
    const past = { promisedOn: addDays(today, -PROMISE_GRACE_DAYS - 1) };
    expect(planRecord(sequence, facts({ ...CAUSES[reason], ...past }), members, { today, now })!.promiseBroken).toBe(false);
    expect(planRecord(sequence, facts({ customerEmail: null, ...past }), members, { today, now })!.promiseBroken).toBe(false);
  });

  describe('send window', () => {
    const window = { from: '08:00', to: '18:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] as Array<'mon' | 'tue' | 'wed' | 'thu' | 'fri'> };
    const windowed = { ...remindCustomer, sendWindow: window };

    it('delivers now while the window is open in the customer\'s timezone, else waits for its next opening', () => {
      expect(planRecord(windowed, facts(), members, { today, now })!.deferredUntil).toBeNull();
      // 10:00 in Toronto is 16:00 in Paris, 00:00 the next day in Tokyo.
      expect(planRecord(windowed, facts({ customerTimezone: 'Asia/Tokyo' }), members, { today, now })!.deferredUntil).toBe('2026-12-07T23:00:00.000Z');
    });

    it('never defers what sends nothing to the customer: a skip, a refusal, or team-only actions', () => {
      const late = { today, now: new Date('2026-12-08T02:00:00Z') }; // 21:00 in Toronto
      expect(planRecord(windowed, facts(CAUSES.disputed), members, late)!.deferredUntil).toBeNull();
      expect(planRecord(windowed, facts({ customerEmail: null }), members, late)!.deferredUntil).toBeNull();
      expect(planRecord({ ...windowed, actions: [{ type: 'push', userIds: [ADA] }] }, facts(), members, late)!.deferredUntil).toBeNull();
      expect(planRecord(windowed, facts(), members, late)!.deferredUntil).toBe('2026-12-08T13:00:00.000Z');
    });

    it('leaves a broken promise to be marked at the opening, with the step it lets go', () => {
      const late = { today, now: new Date('2026-12-08T02:00:00Z') };
      const plan = planRecord({ ...sequence, sendWindow: window }, facts({ promisedOn: addDays(today, -5) }), members, late)!;
      expect(plan).toMatchObject({ deferredUntil: '2026-12-08T13:00:00.000Z', promiseBroken: false });
    });
  });
});

describe(planBatch.name, () => {
  it('plans each record in order, leaving out those with nothing due', () => {
    const plans = planBatch(sequence, [facts({ id: 'a' }), facts({ id: 'b', lastStep: 1 }), facts({ id: 'c', ...CAUSES.paused })], members, { today, now });
    expect(plans.map((p) => p.recordId)).toEqual(['a', 'c']);
  });
});

describe(`${planBatch.name}, grouped by customer (statements)`, () => {
  const grouped: PlanDefinition = { ...sequence, groupBy: 'customer' };
  const at = { today, now };
  const soon = addDays(today, 3); // step 1 falls today
  const late = addDays(today, -1); // step 2 falls today (with its task)
  const summary = (plans: ReturnType<typeof planBatch>) => plans.map((p) => [p.recordId, p.items.map((i) => (i.outcome === 'deliver'
    ? `${i.intent.channel}${'statement' in i.intent && i.intent.statement ? ` statement ${i.intent.statement.invoices.map((s) => `${s.recordId}@${s.step + 1}`).join(',')} "${'message' in i.intent ? i.intent.message.subject : ''}"` : ''}`
    : `${i.outcome} ${i.slot.channel} ${i.reason}`))]);

  it("lists every invoice of a customer with a step today in one email, carried by the first one's plan, with the furthest step's texts and task", () => {
    const plans = planBatch(grouped, [
      facts({ id: 'a1', dueDate: soon }), facts({ id: 'b1', customerId: 'cus-2', customerEmail: 'b@x.test', dueDate: soon }),
      facts({ id: 'a2', dueDate: late }), facts({ id: 'a3', dueDate: soon, lastStep: 0 }),
    ], members, at);
    expect(summary(plans)).toEqual([
      ['a1', ['email statement a1@1,a2@2 "Late"', 'task']],
      ['b1', ['email statement b1@1 "Soon"']],
      ['a2', []],
    ]);
    const email = plans[0].items[0];
    expect(email.outcome === 'deliver' && email.intent).toMatchObject({
      channel: 'email', recipient: 'buyer@example.test', audience: 'customer', kind: 'statement', sequenceStep: null, attachPdf: false,
      statement: { customerId: 'cus-1' },
    });
  });

  it.each(SKIP_REASONS)('leaves an invoice skipped for %s out of the statement, recorded skipped under its own key with its task', (reason) => {
    const plans = planBatch(grouped, [facts({ id: 'a1', dueDate: soon }), facts({ id: 'a2', dueDate: late, ...CAUSES[reason] })], members, at);
    expect(summary(plans)).toEqual([['a1', ['email statement a1@1 "Soon"']], ['a2', [`skip email ${reason}`, `skip task ${reason}`]]]);
  });

  it('keeps what waits for the send window, and what has no email address, out of the statement', () => {
    const window = { from: '08:00', to: '18:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] as Array<'mon' | 'tue' | 'wed' | 'thu' | 'fri'> };
    const plans = planBatch({ ...grouped, sendWindow: window }, [
      facts({ id: 'a1', dueDate: soon }), facts({ id: 't1', customerId: 'cus-t', customerTimezone: 'Asia/Tokyo', dueDate: soon }),
      facts({ id: 'n1', customerId: 'cus-n', customerEmail: null, dueDate: soon }),
    ], members, at);
    expect(summary(plans)).toEqual([['a1', ['email statement a1@1 "Soon"']], ['t1', ['email']], ['n1', ['refuse email no_email_address']]]);
    expect(plans[1].deferredUntil).not.toBeNull();
  });

  it('sends one email per invoice when not grouped', () => {
    const plans = planBatch(sequence, [facts({ id: 'a1', dueDate: soon }), facts({ id: 'a2', dueDate: soon })], members, at);
    expect(summary(plans)).toEqual([['a1', ['email']], ['a2', ['email']]]);
  });
});
