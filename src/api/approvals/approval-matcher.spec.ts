import type { WorkflowDefinition } from '../../db/entities';
import { type EvaluateConditions, firstMatchingDefinition } from './approval-matcher';

const definition = (id: string, createdAt: string, threshold: string): WorkflowDefinition => ({
  id, createdAt: new Date(createdAt), conditions: [{ field: 'amount', op: 'gt', value: threshold }],
} as WorkflowDefinition);

// Stands in for src/domain/conditions.ts: only `amount gt` in whole units, enough to tell definitions apart.
const amountAbove: EvaluateConditions = (_type, conditions, record) =>
  (conditions as { value: string }[]).every((c) => BigInt(String(record.amount).split('.')[0]) > BigInt(c.value));

const invoice = (amount: string) => ({ kind: 'invoice' as const, record: {
  companyId: 'c', number: 'INV-1', amount, balance: amount, customerId: 'cu', locationId: null, issueDate: '2026-11-28', dueDate: '2026-12-28',
} });
const bill = (amount: string) => ({ kind: 'bill' as const, record: {
  companyId: 'c', number: 'B-1', amount, balance: amount, vendorId: 've', locationId: null, dueDate: '2026-12-28',
} });
const options = { timezone: 'America/Toronto', now: new Date('2026-11-28T12:00:00Z') };

describe(firstMatchingDefinition.name, () => {
  const small = definition('small', '2026-02-01T00:00:00Z', '100');
  const large = definition('large', '2026-01-01T00:00:00Z', '1000');

  it('picks the oldest matching definition', () => {
    expect(firstMatchingDefinition([small, large], invoice('5000.00'), amountAbove, options)?.id).toBe('large');
    expect(firstMatchingDefinition([small, large], invoice('500.00'), amountAbove, options)?.id).toBe('small');
  });

  it('answers null when nothing matches', () => {
    expect(firstMatchingDefinition([small, large], invoice('50.00'), amountAbove, options)).toBeNull();
  });

  it('treats a definition whose conditions throw as not matching, and reports it', () => {
    const errors: string[] = [];
    const broken: EvaluateConditions = () => { throw new Error('unknown field'); };
    expect(firstMatchingDefinition([small], invoice('500.00'), broken, options, (d, err) => errors.push(`${d.id}: ${err.message}`))).toBeNull();
    expect(errors).toEqual(['small: unknown field']);
  });

  it('passes the record, its record type and the company clock to the conditions', () => {
    const seen: unknown[] = [];
    firstMatchingDefinition([small], invoice('1.00'), (...args) => { seen.push(args); return false; }, options);
    firstMatchingDefinition([small], bill('2.00'), (...args) => { seen.push(args); return false; }, options);
    expect(seen).toEqual([
      ['invoice', small.conditions, expect.objectContaining({ amount: '1.00', customerId: 'cu' }), options],
      ['bill', small.conditions, expect.objectContaining({ amount: '2.00', vendorId: 've' }), options],
    ]);
  });

  it('matches bills by the same rules', () => {
    expect(firstMatchingDefinition([small, large], bill('5000.00'), amountAbove, options)?.id).toBe('large');
    expect(firstMatchingDefinition([small, large], bill('50.00'), amountAbove, options)).toBeNull();
  });
});
