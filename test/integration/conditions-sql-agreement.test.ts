import { Client } from 'pg';
import {
  compileConditions, Condition, CONDITION_FIELDS, ConditionOp, evaluateConditions, RecordType,
} from '../../src/domain/conditions';
import { addDays, todayIn } from '../../src/domain/dates';
import { testEnv } from '../support/env';

/**
 * A condition must mean the same in memory (events, approval matching) and in SQL (sweeps). Generated records sit
 * on the edges (amounts around thresholds, days around today, instants around local midnight, nulls), generated
 * condition sets pick values from the same pools, and the ids each side selects must be equal.
 */

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = mulberry32(20261128);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];
const int = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

const CUSTOMERS = [1, 2, 3, 4, 5].map(uuid);
const GROUPS: Record<string, string | null> = { [CUSTOMERS[0]]: 'vip', [CUSTOMERS[1]]: 'vip', [CUSTOMERS[2]]: 'gold', [CUSTOMERS[3]]: null, [CUSTOMERS[4]]: 'Vip' };
const LOCATIONS = [11, 12, 13].map(uuid);
const USERS = [21, 22, 23].map(uuid);
const VENDORS = [31, 32, 33].map(uuid);
const DEPOSITS = [41, 42].map(uuid);
const AMOUNTS = ['0.00', '0.01', '0.99', '1.00', '999.99', '1000.00', '1000.01', '1250.50', '99999.99', '999999999999.99'];
const NUMBERS = ['INV-1', 'INV-2', 'INV-3', 'A-10'];
const STATUSES = ['not_required', 'approval_required', 'pending_approval', 'approved', 'rejected'];
const DAY_COUNTS = [0, 1, 2, 3, 7, 30];

/** First instant of `day` in `timezone`, to the millisecond (searches minutes, then milliseconds). */
function startOfDay(timezone: string, day: string): Date {
  let t = Date.parse(`${day}T00:00:00Z`) - 15 * 3600_000;
  while (todayIn(timezone, new Date(t)) < day) t += 60_000;
  let lo = t - 60_000;
  while (t - lo > 1) {
    const mid = Math.floor((lo + t) / 2);
    if (todayIn(timezone, new Date(mid)) < day) lo = mid;
    else t = mid;
  }
  return new Date(t);
}

interface Scenario {
  timezone: string;
  now: Date;
}

function dayAround(today: string): string {
  return addDays(today, pick([-31, -30, -8, -7, -6, -4, -3, -2, -1, -1, 0, 0, 0, 1, 1, 2, 3, 3, 4, 7, 8, 30, 31]));
}

function moneyPair(): [string, string] {
  const amount = pick(AMOUNTS);
  const smaller = AMOUNTS.filter((a) => BigInt(a.replace('.', '')) <= BigInt(amount.replace('.', '')));
  return [amount, rand() < 0.3 ? amount : pick(smaller)];
}

function makeInvoices(s: Scenario, count: number) {
  const today = todayIn(s.timezone, s.now);
  return Array.from({ length: count }, (_, i) => {
    const dueDate = dayAround(today);
    const [amount, balance] = moneyPair();
    const customerId = pick(CUSTOMERS);
    return {
      id: uuid(1000 + i), amount, balance, customerId, customerGroup: GROUPS[customerId],
      locationId: rand() < 0.3 ? null : pick(LOCATIONS), dueDate, issueDate: addDays(dueDate, -int(0, 40)),
      number: pick(NUMBERS), approvalStatus: pick(STATUSES), sentAt: rand() < 0.5 ? null : new Date(s.now.getTime() - int(0, 9e8)),
      createdBy: pick(USERS),
    };
  });
}

function makeBills(s: Scenario, count: number) {
  const today = todayIn(s.timezone, s.now);
  return Array.from({ length: count }, (_, i) => {
    const [amount, balance] = moneyPair();
    return {
      id: uuid(5000 + i), amount, balance, vendorId: pick(VENDORS), locationId: rand() < 0.3 ? null : pick(LOCATIONS),
      dueDate: dayAround(today), paidAt: rand() < 0.5 ? null : new Date(s.now.getTime() - int(0, 9e8)),
    };
  });
}

function makePayments(s: Scenario, count: number) {
  const today = todayIn(s.timezone, s.now);
  const midnights = [-9, -8, -4, -3, -2, -1, 0, 1].map((k) => startOfDay(s.timezone, addDays(today, k)).getTime());
  return Array.from({ length: count }, (_, i) => ({
    id: uuid(9000 + i), amount: pick(AMOUNTS.slice(1)), customerId: pick(CUSTOMERS), invoiceId: pick([1000, 1001, 1002].map(uuid)),
    receivedAt: new Date(pick(midnights) + pick([-3600_000, -1, 0, 1, 60_000, 12 * 3600_000])),
    depositId: rand() < 0.5 ? null : pick(DEPOSITS),
  }));
}

/** A value from the same pools the records use, with the right type for the field and operator. */
function conditionFor(recordType: RecordType, field: string, today: string): Condition {
  const spec = CONDITION_FIELDS[recordType][field];
  const op = pick(spec.ops);
  if (op === 'within_days' || op === 'older_than_days') return { field, op, value: pick(DAY_COUNTS) };
  if (op === 'overdue_by_days') return { field, op, value: pick(DAY_COUNTS.filter((n) => n >= 1)) };
  const one = (): unknown => {
    switch (spec.type) {
      case 'money': return pick(AMOUNTS);
      case 'date': return dayAround(today);
      case 'boolean': return rand() < 0.5;
      case 'enum': return pick(spec.values!);
      case 'text': return field === 'number' ? pick(NUMBERS) : pick(['vip', 'gold', 'Vip', 'none']);
      case 'id': {
        const pools: Record<string, string[]> = {
          customerId: CUSTOMERS, locationId: LOCATIONS, createdBy: USERS, vendorId: VENDORS, invoiceId: [1000, 1001, 1002].map(uuid),
        };
        return pick(pools[field]);
      }
    }
  };
  const value = op === 'in' || op === 'not_in' ? Array.from({ length: int(1, 3) }, one) : one();
  return { field, op: op as ConditionOp, value };
}

function conditionSets(recordType: RecordType, today: string, count: number): Condition[][] {
  const fields = Object.keys(CONDITION_FIELDS[recordType]);
  const sets: Condition[][] = [[]];
  // Every field with every operator on its own first, then random combinations.
  for (const field of fields) {
    for (let k = 0; k < 12; k++) sets.push([conditionFor(recordType, field, today)]);
  }
  while (sets.length < count) sets.push(Array.from({ length: int(2, 4) }, () => conditionFor(recordType, pick(fields), today)));
  return sets;
}

describe('conditions: in-memory evaluation and compiled SQL agree', () => {
  let pg: Client;

  beforeAll(async () => {
    pg = new Client({ connectionString: testEnv().databaseUrl });
    await pg.connect();
    // Temporary tables shadow the real ones for this session only, so the compiled SQL runs unchanged.
    await pg.query(`CREATE TEMP TABLE customers (id uuid PRIMARY KEY, customer_group text)`);
    await pg.query(`CREATE TEMP TABLE invoices (id uuid PRIMARY KEY, amount numeric(14,2), balance numeric(14,2), customer_id uuid,
      location_id uuid, due_date date, issue_date date, number text, approval_status text, sent_at timestamptz, created_by uuid)`);
    await pg.query(`CREATE TEMP TABLE bills (id uuid PRIMARY KEY, amount numeric(14,2), balance numeric(14,2), vendor_id uuid,
      location_id uuid, due_date date, paid_at timestamptz)`);
    await pg.query(`CREATE TEMP TABLE payments (id uuid PRIMARY KEY, amount numeric(14,2), customer_id uuid, invoice_id uuid,
      received_at timestamptz, deposit_id uuid)`);
    for (const id of CUSTOMERS) await pg.query('INSERT INTO customers VALUES ($1, $2)', [id, GROUPS[id]]);
  });

  afterAll(() => pg.end());

  async function reload(table: string, columns: string[], rows: unknown[][]): Promise<void> {
    await pg.query(`TRUNCATE ${table}`);
    const placeholders = columns.map((_, i) => `$${i + 1}`).join(', ');
    for (const row of rows) await pg.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${placeholders})`, row);
  }

  async function expectAgreement(recordType: RecordType, table: string, records: Array<{ id: string }>, s: Scenario): Promise<number> {
    const today = todayIn(s.timezone, s.now);
    let nonTrivial = 0;
    for (const conditions of conditionSets(recordType, today, 160)) {
      const { sql, params } = compileConditions(recordType, conditions, { ...s, alias: 'r', firstParam: 2 });
      const res = await pg.query(`SELECT r.id FROM ${table} r WHERE r.id <> $1 AND ${sql} ORDER BY r.id`, [uuid(0), ...params]);
      const fromSql = res.rows.map((r: { id: string }) => r.id);
      const inMemory = records.filter((r) => evaluateConditions(recordType, conditions, r, s)).map((r) => r.id).sort();
      if (fromSql.length > 0 && fromSql.length < records.length) nonTrivial++;
      expect({ conditions, ids: fromSql }).toEqual({ conditions, ids: inMemory });
    }
    return nonTrivial;
  }

  const scenarios: Scenario[] = [
    { timezone: 'America/Toronto', now: new Date('2026-03-01T03:30:00Z') },
    { timezone: 'Pacific/Kiritimati', now: new Date('2026-11-28T11:00:00Z') },
    { timezone: 'Pacific/Pago_Pago', now: new Date('2026-12-31T23:59:59Z') },
    { timezone: 'UTC', now: new Date() },
  ];

  it.each(scenarios)('agrees on invoices in $timezone at $now', async (s) => {
    const invoices = makeInvoices(s, 300);
    await reload('invoices', ['id', 'amount', 'balance', 'customer_id', 'location_id', 'due_date', 'issue_date', 'number', 'approval_status', 'sent_at', 'created_by'],
      invoices.map((r) => [r.id, r.amount, r.balance, r.customerId, r.locationId, r.dueDate, r.issueDate, r.number, r.approvalStatus, r.sentAt, r.createdBy]));
    // Most sets select some records but not all, so agreement is not trivially "everything" or "nothing".
    expect(await expectAgreement('invoice', 'invoices', invoices, s)).toBeGreaterThan(80);
  });

  it.each(scenarios)('agrees on bills in $timezone at $now', async (s) => {
    const bills = makeBills(s, 200);
    await reload('bills', ['id', 'amount', 'balance', 'vendor_id', 'location_id', 'due_date', 'paid_at'],
      bills.map((r) => [r.id, r.amount, r.balance, r.vendorId, r.locationId, r.dueDate, r.paidAt]));
    expect(await expectAgreement('bill', 'bills', bills, s)).toBeGreaterThan(60);
  });

  it.each(scenarios)('agrees on payments in $timezone at $now', async (s) => {
    const payments = makePayments(s, 200);
    await reload('payments', ['id', 'amount', 'customer_id', 'invoice_id', 'received_at', 'deposit_id'],
      payments.map((r) => [r.id, r.amount, r.customerId, r.invoiceId, r.receivedAt, r.depositId]));
    expect(await expectAgreement('payment', 'payments', payments, s)).toBeGreaterThan(60);
  });
});
