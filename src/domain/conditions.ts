// STAND-IN (reminders branch): the real src/domain/conditions.ts is written on the domain branch; drop this one for it.
// Only what the sweeps need: the contract's two functions over a few fields.
import { compareMoney } from './money';
import { addDays, todayIn } from './dates';

export type RecordType = 'invoice' | 'bill' | 'payment';
export type ConditionOp = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'not_in' | 'within_days' | 'overdue_by_days' | 'older_than_days';

export interface Condition {
  field: string;
  op: ConditionOp;
  value: unknown;
}

interface FieldSpec {
  column: string;
  type: 'money' | 'date' | 'id' | 'text';
  timestamp?: boolean;
}

const FIELDS: Record<RecordType, Record<string, FieldSpec>> = {
  invoice: {
    amount: { column: 'amount', type: 'money' }, balance: { column: 'balance', type: 'money' },
    customerId: { column: 'customer_id', type: 'id' }, locationId: { column: 'location_id', type: 'id' },
    dueDate: { column: 'due_date', type: 'date' }, issueDate: { column: 'issue_date', type: 'date' }, number: { column: 'number', type: 'text' },
  },
  bill: {
    amount: { column: 'amount', type: 'money' }, balance: { column: 'balance', type: 'money' },
    vendorId: { column: 'vendor_id', type: 'id' }, locationId: { column: 'location_id', type: 'id' }, dueDate: { column: 'due_date', type: 'date' },
  },
  payment: {
    amount: { column: 'amount', type: 'money' }, customerId: { column: 'customer_id', type: 'id' },
    invoiceId: { column: 'invoice_id', type: 'id' }, receivedAt: { column: 'received_at', type: 'date', timestamp: true },
  },
};

const CAST = { money: 'numeric', date: 'date', id: 'uuid', text: 'text' } as const;
const SQL_OPS: Record<string, string> = { eq: '=', ne: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' };

function spec(recordType: RecordType, field: string): FieldSpec {
  const s = FIELDS[recordType][field];
  if (!s) throw new Error(`unknown field "${field}" for ${recordType} conditions`);
  return s;
}

export function compileConditions(
  recordType: RecordType,
  conditions: Condition[],
  options: { timezone: string; now: Date; alias: string; firstParam: number },
): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const p = (v: unknown, cast: string) => {
    params.push(v);
    return `$${options.firstParam + params.length - 1}::${cast}`;
  };
  const today = todayIn(options.timezone, options.now);
  const parts = conditions.map((c) => {
    const s = spec(recordType, c.field);
    let expr = `${options.alias}.${s.column}`;
    if (s.timestamp) expr = `(${expr} AT TIME ZONE ${p(options.timezone, 'text')})::date`;
    const cast = CAST[s.type];
    switch (c.op) {
      case 'in': return `${expr} = ANY(${p(c.value, `${cast}[]`)})`;
      case 'not_in': return `NOT (${expr} = ANY(${p(c.value, `${cast}[]`)}))`;
      case 'within_days': return `${expr} BETWEEN ${p(today, 'date')} AND ${p(addDays(today, Number(c.value)), 'date')}`;
      case 'overdue_by_days':
      case 'older_than_days': return `${expr} <= ${p(addDays(today, -Number(c.value)), 'date')}`;
      default: return `${expr} ${SQL_OPS[c.op]} ${p(c.value, cast)}`;
    }
  });
  return { sql: parts.length ? parts.map((x) => `(${x})`).join(' AND ') : 'TRUE', params };
}

export function evaluateConditions(
  recordType: RecordType,
  conditions: Condition[],
  record: Record<string, unknown>,
  context: { timezone: string; now: Date },
): boolean {
  const today = todayIn(context.timezone, context.now);
  return conditions.every((c) => {
    const s = spec(recordType, c.field);
    let v = record[c.field];
    if (v === null || v === undefined) return c.op === 'ne' || c.op === 'not_in';
    if (s.timestamp) v = todayIn(context.timezone, v instanceof Date ? v : new Date(String(v)));
    const cmp = (b: unknown) => (s.type === 'money' ? compareMoney(String(v), String(b)) : String(v) < String(b) ? -1 : String(v) > String(b) ? 1 : 0);
    switch (c.op) {
      case 'eq': return cmp(c.value) === 0;
      case 'ne': return cmp(c.value) !== 0;
      case 'gt': return cmp(c.value) > 0;
      case 'gte': return cmp(c.value) >= 0;
      case 'lt': return cmp(c.value) < 0;
      case 'lte': return cmp(c.value) <= 0;
      case 'in': return (c.value as unknown[]).some((x) => cmp(x) === 0);
      case 'not_in': return !(c.value as unknown[]).some((x) => cmp(x) === 0);
      case 'within_days': return String(v) >= today && String(v) <= addDays(today, Number(c.value));
      case 'overdue_by_days':
      case 'older_than_days': return String(v) <= addDays(today, -Number(c.value));
    }
  });
}
