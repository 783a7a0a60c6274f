import { addDays, isValidDate, todayIn } from './dates';
import { compareMoney, isMoney, toCents, fromCents } from './money';
import { isUuid } from './ids';

/**
 * One conditions module: a condition means the same thing evaluated on a record in memory (events, approval
 * matching) and compiled to a SQL predicate (sweeps). Relative day operators count in the company's timezone,
 * and "today" is computed here, never by the database, so both sides agree.
 */

export const RECORD_TYPES = ['invoice', 'bill', 'payment'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

export const CONDITION_OPS = [
  'eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'not_in', 'within_days', 'overdue_by_days', 'older_than_days',
] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

export interface Condition {
  field: string;
  op: ConditionOp;
  value: unknown;
}

export type FieldType = 'money' | 'date' | 'id' | 'text' | 'enum' | 'boolean';

export interface FieldSpec {
  /** The column of the record's table; for computed fields, what the SQL expression reads. */
  column: string;
  type: FieldType;
  ops: readonly ConditionOp[];
  description: string;
  /** For `enum` fields. */
  values?: readonly string[];
  /** A timestamp whose day (in the company's timezone) is compared, rather than a date column. */
  timestamp?: boolean;
  /** SQL for the field's value over the table alias, when it is not simply `alias.column`. */
  sql?: (alias: string) => string;
  /** The field's value on an in-memory record, when it is not simply `record[field]`. */
  read?: (record: Record<string, unknown>) => unknown;
}

export class ConditionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConditionError';
  }
}

const COMPARE: readonly ConditionOp[] = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte'];
const SET: readonly ConditionOp[] = ['eq', 'ne', 'in', 'not_in'];
const BOOL: readonly ConditionOp[] = ['eq', 'ne'];
const DUE_DATE: readonly ConditionOp[] = [...COMPARE, 'within_days', 'overdue_by_days', 'older_than_days'];
const PAST_DATE: readonly ConditionOp[] = [...COMPARE, 'older_than_days'];
const RELATIVE_OPS: readonly ConditionOp[] = ['within_days', 'overdue_by_days', 'older_than_days'];

const APPROVAL_STATUS_VALUES = ['not_required', 'approval_required', 'pending_approval', 'approved', 'rejected'] as const;

const isSet = (key: string) => (r: Record<string, unknown>) => r[key] !== null && r[key] !== undefined;

export const CONDITION_FIELDS: Record<RecordType, Record<string, FieldSpec>> = {
  invoice: {
    amount: { column: 'amount', type: 'money', ops: COMPARE, description: 'Total amount of the invoice' },
    balance: { column: 'balance', type: 'money', ops: COMPARE, description: 'Amount still owed' },
    customerId: { column: 'customer_id', type: 'id', ops: SET, description: 'The customer' },
    customerGroup: {
      column: 'customer_group', type: 'text', ops: SET, description: "The customer's group (e.g. VIP); unset when the customer has none",
      sql: (a) => `(SELECT c.customer_group FROM customers c WHERE c.id = ${a}.customer_id)`,
    },
    locationId: { column: 'location_id', type: 'id', ops: SET, description: 'The location (unset when the invoice has none)' },
    dueDate: { column: 'due_date', type: 'date', ops: DUE_DATE, description: 'Due date' },
    issueDate: { column: 'issue_date', type: 'date', ops: PAST_DATE, description: 'Issue date' },
    number: { column: 'number', type: 'text', ops: SET, description: 'Invoice number' },
    approvalStatus: { column: 'approval_status', type: 'enum', ops: SET, values: APPROVAL_STATUS_VALUES, description: 'Approval status' },
    sent: { column: 'sent_at', type: 'boolean', ops: BOOL, description: 'Whether the invoice has been sent', sql: (a) => `(${a}.sent_at IS NOT NULL)`, read: isSet('sentAt') },
    createdBy: { column: 'created_by', type: 'id', ops: SET, description: 'The user who created the invoice' },
  },
  bill: {
    amount: { column: 'amount', type: 'money', ops: COMPARE, description: 'Total amount of the bill' },
    balance: { column: 'balance', type: 'money', ops: COMPARE, description: 'Amount still to pay' },
    vendorId: { column: 'vendor_id', type: 'id', ops: SET, description: 'The vendor' },
    locationId: { column: 'location_id', type: 'id', ops: SET, description: 'The location (unset when the bill has none)' },
    dueDate: { column: 'due_date', type: 'date', ops: DUE_DATE, description: 'Due date' },
    paid: { column: 'paid_at', type: 'boolean', ops: BOOL, description: 'Whether the bill has been paid', sql: (a) => `(${a}.paid_at IS NOT NULL)`, read: isSet('paidAt') },
  },
  payment: {
    amount: { column: 'amount', type: 'money', ops: COMPARE, description: 'Amount received' },
    customerId: { column: 'customer_id', type: 'id', ops: SET, description: 'The paying customer' },
    invoiceId: { column: 'invoice_id', type: 'id', ops: SET, description: 'The invoice paid' },
    receivedAt: { column: 'received_at', type: 'date', timestamp: true, ops: PAST_DATE, description: 'Day the payment was received, in the company timezone' },
    deposited: { column: 'deposit_id', type: 'boolean', ops: BOOL, description: 'Whether the payment has been deposited in the bank', sql: (a) => `(${a}.deposit_id IS NOT NULL)`, read: isSet('depositId') },
  },
};

export interface ConditionOptions {
  /** Restricts the accepted fields (a template's subset of the record's catalogue). */
  fields?: readonly string[];
}

const MAX_LIST = 200;
const MAX_DAYS = 3660;
const MAX_TEXT = 200;

function show(value: unknown): string {
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

function fieldsOf(recordType: RecordType, options?: ConditionOptions): string[] {
  const all = Object.keys(CONDITION_FIELDS[recordType]);
  return options?.fields ? all.filter((f) => options.fields!.includes(f)) : all;
}

function normalizeScalar(spec: FieldSpec, value: unknown, fail: (why: string) => never): string | boolean {
  switch (spec.type) {
    case 'money': {
      if (!isMoney(value)) fail(`must be a decimal string with at most 2 decimals, like "1250.00"`);
      return fromCents(toCents(value as string));
    }
    case 'date':
      if (!isValidDate(value)) fail('must be a date written YYYY-MM-DD');
      return value;
    case 'id':
      if (!isUuid(value)) fail('must be an id (uuid)');
      return value.toLowerCase();
    case 'text':
      if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TEXT) fail(`must be a non-empty string of at most ${MAX_TEXT} characters`);
      return value;
    case 'enum':
      if (typeof value !== 'string' || !spec.values!.includes(value)) fail(`must be one of ${spec.values!.join(', ')}`);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') fail('must be true or false');
      return value;
  }
}

/** Checks and normalises conditions (canonical money strings, integer day counts); throws ConditionError naming the culprit. */
export function validateConditions(recordType: RecordType, conditions: unknown, options?: ConditionOptions): Condition[] {
  if (!(RECORD_TYPES as readonly string[]).includes(recordType)) throw new ConditionError(`unknown record type "${recordType}"`);
  if (!Array.isArray(conditions)) throw new ConditionError('conditions must be an array of { field, op, value }');
  if (conditions.length > 50) throw new ConditionError('at most 50 conditions');
  const allowed = fieldsOf(recordType, options);
  return conditions.map((raw, i): Condition => {
    const at = `conditions[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConditionError(`${at}: must be an object { field, op, value }`);
    const { field, op, value } = raw as Record<string, unknown>;
    const extra = Object.keys(raw).filter((k) => !['field', 'op', 'value'].includes(k));
    if (extra.length) throw new ConditionError(`${at}: unexpected property "${extra[0]}"; a condition is { field, op, value }`);
    if (typeof field !== 'string' || !allowed.includes(field)) {
      throw new ConditionError(`${at}: unknown field ${show(field)} for ${recordType} conditions; expected one of ${allowed.join(', ')}`);
    }
    const spec = CONDITION_FIELDS[recordType][field];
    if (typeof op !== 'string' || !(CONDITION_OPS as readonly string[]).includes(op)) {
      throw new ConditionError(`${at}: unknown operator ${show(op)}; expected one of ${CONDITION_OPS.join(', ')}`);
    }
    if (!spec.ops.includes(op as ConditionOp)) {
      throw new ConditionError(`${at}: operator "${op}" does not apply to field "${field}"; it takes ${spec.ops.join(', ')}`);
    }
    const fail = (why: string): never => {
      throw new ConditionError(`${at}: value ${show(value)} for "${field}" ${op} ${why}`);
    };
    if (RELATIVE_OPS.includes(op as ConditionOp)) {
      const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
      const min = op === 'overdue_by_days' ? 1 : 0;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > MAX_DAYS) fail(`must be a whole number of days from ${min} to ${MAX_DAYS}`);
      return { field, op: op as ConditionOp, value: n };
    }
    if (op === 'in' || op === 'not_in') {
      if (!Array.isArray(value) || value.length === 0 || value.length > MAX_LIST) fail(`must be a non-empty list of at most ${MAX_LIST} values`);
      const list = (value as unknown[]).map((v, j) => normalizeScalar(spec, v, (why) => {
        throw new ConditionError(`${at}: value[${j}] ${show(v)} for "${field}" ${why}`);
      }));
      return { field, op: op as ConditionOp, value: [...new Set(list)] };
    }
    return { field, op: op as ConditionOp, value: normalizeScalar(spec, value, fail) };
  });
}

export interface EvaluationContext {
  /** IANA zone of the company: relative day operators and timestamp days are counted there. */
  timezone: string;
  now: Date;
}

function dayOf(spec: FieldSpec, raw: unknown, timezone: string): string | null {
  if (raw === null || raw === undefined) return null;
  if (spec.timestamp) {
    const instant = raw instanceof Date ? raw : new Date(String(raw));
    return Number.isNaN(instant.getTime()) ? null : todayIn(timezone, instant);
  }
  if (raw instanceof Date) return raw.toISOString().slice(0, 10);
  return String(raw).slice(0, 10);
}

function compare(spec: FieldSpec, actual: unknown, expected: unknown): number {
  if (spec.type === 'money') return compareMoney(String(actual), String(expected));
  const a = String(actual);
  const b = String(expected);
  return a < b ? -1 : a > b ? 1 : 0;
}

function holds(spec: FieldSpec, c: Condition, record: Record<string, unknown>, context: EvaluationContext): boolean {
  let actual = spec.read ? spec.read(record) : record[c.field];
  if (spec.type === 'date') actual = dayOf(spec, actual, context.timezone);
  if (spec.type === 'id' && typeof actual === 'string') actual = actual.toLowerCase();
  const missing = actual === null || actual === undefined;
  // Nulls: "is not X" and "not in [...]" hold for a record without the value; every other operator does not.
  switch (c.op) {
    case 'eq':
      return !missing && compare(spec, actual, c.value) === 0;
    case 'ne':
      return missing || compare(spec, actual, c.value) !== 0;
    case 'gt':
      return !missing && compare(spec, actual, c.value) > 0;
    case 'gte':
      return !missing && compare(spec, actual, c.value) >= 0;
    case 'lt':
      return !missing && compare(spec, actual, c.value) < 0;
    case 'lte':
      return !missing && compare(spec, actual, c.value) <= 0;
    case 'in':
      return !missing && (c.value as unknown[]).some((v) => compare(spec, actual, v) === 0);
    case 'not_in':
      return missing || !(c.value as unknown[]).some((v) => compare(spec, actual, v) === 0);
    case 'within_days': {
      if (missing) return false;
      const today = todayIn(context.timezone, context.now);
      return (actual as string) >= today && (actual as string) <= addDays(today, c.value as number);
    }
    case 'overdue_by_days':
    case 'older_than_days':
      return !missing && (actual as string) <= addDays(todayIn(context.timezone, context.now), -(c.value as number));
  }
}

/** True when every condition holds for the record (entity-shaped: camelCase, money as decimal strings). Empty list: true. */
export function evaluateConditions(
  recordType: RecordType,
  conditions: readonly Condition[],
  record: object,
  context: EvaluationContext,
): boolean {
  const checked = validateConditions(recordType, conditions);
  return checked.every((c) => holds(CONDITION_FIELDS[recordType][c.field], c, record as Record<string, unknown>, context));
}

export interface CompileOptions extends EvaluationContext {
  /** The SQL alias of the record's table. */
  alias: string;
  /** Number of the first `$n` placeholder this predicate may use. */
  firstParam: number;
}

export interface CompiledConditions {
  sql: string;
  params: unknown[];
}

const ALIAS_RE = /^[a-z_][a-z0-9_]*$/i;
const SQL_OPS: Partial<Record<ConditionOp, string>> = { gt: '>', gte: '>=', lt: '<', lte: '<=' };
const SQL_CAST: Record<FieldType, string> = { money: 'numeric', date: 'date', id: 'uuid', text: 'text', enum: 'text', boolean: 'boolean' };

/** A SQL predicate over `alias` that selects exactly the records evaluateConditions accepts. Empty list: TRUE. */
export function compileConditions(recordType: RecordType, conditions: readonly Condition[], options: CompileOptions): CompiledConditions {
  if (!ALIAS_RE.test(options.alias)) throw new ConditionError(`invalid SQL alias "${options.alias}"`);
  if (!Number.isInteger(options.firstParam) || options.firstParam < 1) throw new ConditionError(`invalid first parameter number ${options.firstParam}`);
  const checked = validateConditions(recordType, conditions);
  if (checked.length === 0) return { sql: 'TRUE', params: [] };

  const params: unknown[] = [];
  const param = (value: unknown, cast: string): string => {
    params.push(value);
    return `$${options.firstParam + params.length - 1}::${cast}`;
  };
  let timezoneParam: string | undefined;
  const a = options.alias;
  const today = todayIn(options.timezone, options.now);

  const parts = checked.map((c) => {
    const spec = CONDITION_FIELDS[recordType][c.field];
    let expr = spec.sql ? spec.sql(a) : `${a}.${spec.column}`;
    if (spec.timestamp) {
      timezoneParam ??= param(options.timezone, 'text');
      expr = `(${expr} AT TIME ZONE ${timezoneParam})::date`;
    }
    const cast = SQL_CAST[spec.type];
    switch (c.op) {
      case 'eq':
        return `${expr} = ${param(c.value, cast)}`;
      case 'ne':
        return `${expr} IS DISTINCT FROM ${param(c.value, cast)}`;
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
        return `${expr} ${SQL_OPS[c.op]} ${param(c.value, cast)}`;
      case 'in':
        return `${expr} = ANY(${param(c.value, `${cast}[]`)})`;
      case 'not_in':
        return `(${expr} IS NULL OR NOT (${expr} = ANY(${param(c.value, `${cast}[]`)})))`;
      case 'within_days':
        return `${expr} BETWEEN ${param(today, 'date')} AND ${param(addDays(today, c.value as number), 'date')}`;
      case 'overdue_by_days':
      case 'older_than_days':
        return `${expr} <= ${param(addDays(today, -(c.value as number)), 'date')}`;
    }
  });
  return { sql: parts.map((p) => `(${p})`).join(' AND '), params };
}
