import { compileConditions, ConditionError, evaluateConditions, validateConditions } from './conditions';

const CUSTOMER = '7d1f1c8e-0a4b-4c39-9a55-2f0d1b8c9e01';
const OTHER = '7d1f1c8e-0a4b-4c39-9a55-2f0d1b8c9e02';
// 02:00 UTC on 1 March is still 28 February in Toronto.
const context = { timezone: 'America/Toronto', now: new Date('2026-03-01T02:00:00Z') };

function invoice(overrides: Record<string, unknown> = {}) {
  return {
    id: 'i1', amount: '1250.00', balance: '1250.00', customerId: CUSTOMER, locationId: null, dueDate: '2026-03-03',
    issueDate: '2026-02-01', number: 'INV-1', approvalStatus: 'not_required', sentAt: null, createdBy: OTHER,
    customerGroup: 'vip', ...overrides,
  };
}

describe(validateConditions.name, () => {
  it('normalises money to canonical strings and day counts to integers', () => {
    expect(validateConditions('invoice', [
      { field: 'amount', op: 'gt', value: '1000' },
      { field: 'dueDate', op: 'within_days', value: '3' },
      { field: 'customerId', op: 'in', value: [CUSTOMER.toUpperCase(), CUSTOMER] },
    ])).toEqual([
      { field: 'amount', op: 'gt', value: '1000.00' },
      { field: 'dueDate', op: 'within_days', value: 3 },
      { field: 'customerId', op: 'in', value: [CUSTOMER] },
    ]);
  });

  it.each([
    [[{ field: 'colour', op: 'eq', value: 'red' }], 'conditions[0]: unknown field "colour" for invoice conditions'],
    [[{ field: 'amount', op: 'gt', value: '1' }, { field: 'amount', op: 'within_days', value: 3 }],
      'conditions[1]: operator "within_days" does not apply to field "amount"'],
    [[{ field: 'amount', op: 'about', value: '1' }], 'conditions[0]: unknown operator "about"'],
    [[{ field: 'amount', op: 'gt', value: 1000 }], 'conditions[0]: value 1000 for "amount" gt must be a decimal string'],
    [[{ field: 'amount', op: 'gt', value: '10.005' }], 'must be a decimal string'],
    [[{ field: 'dueDate', op: 'eq', value: '2026-02-30' }], 'must be a date written YYYY-MM-DD'],
    [[{ field: 'dueDate', op: 'overdue_by_days', value: 0 }], 'must be a whole number of days from 1'],
    [[{ field: 'dueDate', op: 'within_days', value: 2.5 }], 'must be a whole number of days'],
    [[{ field: 'customerId', op: 'eq', value: 'acme' }], 'must be an id (uuid)'],
    [[{ field: 'customerId', op: 'in', value: [] }], 'must be a non-empty list'],
    [[{ field: 'approvalStatus', op: 'eq', value: 'maybe' }], 'must be one of not_required'],
    [[{ field: 'sent', op: 'eq', value: 'no' }], 'must be true or false'],
    [[{ field: 'amount', op: 'gt', value: '1', extra: 1 }], 'unexpected property "extra"'],
    [{ field: 'amount' }, 'conditions must be an array'],
  ])('refuses %j', (conditions, message) => {
    expect(() => validateConditions('invoice', conditions)).toThrow(ConditionError);
    expect(() => validateConditions('invoice', conditions)).toThrow(message);
  });

  it('limits fields to a template subset when asked', () => {
    expect(() => validateConditions('invoice', [{ field: 'sent', op: 'eq', value: true }], { fields: ['amount'] }))
      .toThrow('unknown field "sent" for invoice conditions; expected one of amount');
  });
});

describe(evaluateConditions.name, () => {
  it('is true for an empty list', () => {
    expect(evaluateConditions('invoice', [], invoice(), context)).toBe(true);
  });

  it('counts within_days from today in the company timezone, today included', () => {
    const within = (dueDate: string, n: number) => evaluateConditions('invoice', [{ field: 'dueDate', op: 'within_days', value: n }], invoice({ dueDate }), context);
    expect(within('2026-02-28', 0)).toBe(true);
    expect(within('2026-03-03', 3)).toBe(true);
    expect(within('2026-03-04', 3)).toBe(false);
    expect(within('2026-02-27', 3)).toBe(false);
  });

  it('counts overdue_by_days as past due by at least N days', () => {
    const overdue = (dueDate: string, n: number) => evaluateConditions('invoice', [{ field: 'dueDate', op: 'overdue_by_days', value: n }], invoice({ dueDate }), context);
    expect(overdue('2026-02-27', 1)).toBe(true);
    expect(overdue('2026-02-28', 1)).toBe(false);
    expect(overdue('2026-02-21', 7)).toBe(true);
    expect(overdue('2026-02-22', 7)).toBe(false);
  });

  it('compares money exactly', () => {
    const gt = (amount: string, value: string) => evaluateConditions('invoice', [{ field: 'amount', op: 'gt', value }], invoice({ amount }), context);
    expect(gt('1000.01', '1000')).toBe(true);
    expect(gt('1000.00', '1000')).toBe(false);
    expect(gt('999999999999.99', '999999999999.98')).toBe(true);
  });

  it('treats a missing value as matching only ne and not_in', () => {
    const check = (op: string, value: unknown) => evaluateConditions('invoice', [{ field: 'locationId', op, value } as never], invoice(), context);
    expect(check('eq', CUSTOMER)).toBe(false);
    expect(check('ne', CUSTOMER)).toBe(true);
    expect(check('in', [CUSTOMER])).toBe(false);
    expect(check('not_in', [CUSTOMER])).toBe(true);
  });

  it('reads booleans and customer groups', () => {
    expect(evaluateConditions('invoice', [{ field: 'sent', op: 'eq', value: false }], invoice(), context)).toBe(true);
    expect(evaluateConditions('invoice', [{ field: 'sent', op: 'eq', value: false }], invoice({ sentAt: new Date() }), context)).toBe(false);
    expect(evaluateConditions('invoice', [{ field: 'customerGroup', op: 'in', value: ['vip', 'gold'] }], invoice(), context)).toBe(true);
    expect(evaluateConditions('invoice', [{ field: 'customerGroup', op: 'eq', value: 'vip' }], invoice({ customerGroup: undefined }), context)).toBe(false);
  });

  it('takes the day of a payment in the company timezone', () => {
    const payment = { amount: '10.00', customerId: CUSTOMER, invoiceId: OTHER, receivedAt: new Date('2026-02-26T03:00:00Z'), depositId: null };
    // 25 February in Toronto: three days before 28 February.
    expect(evaluateConditions('payment', [{ field: 'receivedAt', op: 'older_than_days', value: 3 }], payment, context)).toBe(true);
    expect(evaluateConditions('payment', [{ field: 'receivedAt', op: 'eq', value: '2026-02-25' }], payment, context)).toBe(true);
    expect(evaluateConditions('payment', [{ field: 'deposited', op: 'eq', value: false }], payment, context)).toBe(true);
  });
});

describe(compileConditions.name, () => {
  const options = { ...context, alias: 'i', firstParam: 3 };

  it('is TRUE for an empty list', () => {
    expect(compileConditions('invoice', [], options)).toEqual({ sql: 'TRUE', params: [] });
  });

  it('numbers placeholders from firstParam and passes today from the company timezone', () => {
    const { sql, params } = compileConditions('invoice', [
      { field: 'amount', op: 'gt', value: '1000' },
      { field: 'dueDate', op: 'within_days', value: 3 },
      { field: 'locationId', op: 'not_in', value: [CUSTOMER] },
    ], options);
    expect(sql).toBe('(i.amount > $3::numeric) AND (i.due_date BETWEEN $4::date AND $5::date) AND '
      + '((i.location_id IS NULL OR NOT (i.location_id = ANY($6::uuid[]))))');
    expect(params).toEqual(['1000.00', '2026-02-28', '2026-03-03', [CUSTOMER]]);
  });

  it('reads computed fields through SQL expressions', () => {
    const { sql } = compileConditions('invoice', [
      { field: 'sent', op: 'eq', value: false },
      { field: 'customerGroup', op: 'eq', value: 'vip' },
    ], options);
    expect(sql).toContain('(i.sent_at IS NOT NULL) = $3::boolean');
    expect(sql).toContain('(SELECT c.customer_group FROM customers c WHERE c.id = i.customer_id) = $4::text');
  });

  it('refuses an alias that is not an identifier', () => {
    expect(() => compileConditions('invoice', [], { ...options, alias: 'i; DROP TABLE x' })).toThrow(ConditionError);
  });
});
