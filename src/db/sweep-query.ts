import type { DataSource } from 'typeorm';
import { compileConditions, type Condition } from '../domain/conditions';
import { todayIn } from '../domain/dates';
import type { SweepCursor } from '../contracts';
import type { Sequence } from '../domain/collection-sequence';
import type { SendWindow } from '../domain/send-window';
import { DETAIL_SELECT, SweepPlan } from './sweep-plans';

/** A definition with its company, as a sweep needs them. */
export interface SweepDefinition {
  id: string;
  companyId: string;
  templateKey: string;
  name: string;
  status: string;
  conditions: Condition[];
  actions: unknown[];
  locale: string;
  companyName: string;
  timezone: string;
  currency: string;
  plan: string;
  /** `collection-sequence`: its steps and catch-up policy. */
  sequence: Sequence | null;
  /** The company's send window for customer emails, or null (any time). */
  sendWindow: SendWindow | null;
}

export async function loadSweepDefinition(dataSource: DataSource, definitionId: string, companyId: string): Promise<SweepDefinition | null> {
  const [row] = await dataSource.query(
    `SELECT d.id, d.company_id, d.template_key, d.name, d.status, d.conditions, d.actions, d.locale, d.sequence,
            c.name AS company_name, c.timezone, c.currency, c.plan, c.send_window
       FROM workflow_definitions d JOIN companies c ON c.id = d.company_id
      WHERE d.id = $1 AND d.company_id = $2`,
    [definitionId, companyId],
  );
  if (!row) return null;
  return {
    id: row.id, companyId: row.company_id, templateKey: row.template_key, name: row.name, status: row.status,
    conditions: row.conditions ?? [], actions: row.actions ?? [], locale: row.locale, companyName: row.company_name,
    timezone: row.timezone, currency: row.currency, plan: row.plan,
    sequence: row.sequence ?? null, sendWindow: row.send_window ?? null,
  };
}

/** Why a definition must not deliver now, or null when it may. */
export function whyNotLive(def: SweepDefinition): string | null {
  if (def.status !== 'active') return `the definition is ${def.status}, not active`;
  if (def.plan !== 'advanced') return `the company is on the ${def.plan} plan; workflows run only on advanced`;
  return null;
}

const KEY_TYPES: Record<string, string> = { due_date: 'date', received_at: 'timestamptz' };

export interface MatchQueryOptions {
  plan: SweepPlan;
  def: SweepDefinition;
  asOf: Date;
  /** Keyset page: the ids (and keys) after `cursor`, `limit` of them, in index order. */
  page?: { cursor: SweepCursor | null; limit: number };
  /** Only these records (a delivery batch, or the record of an event). */
  recordIds?: string[];
  /** `keyset`: id and order key (paging); `detail`: what the messages need. */
  select: 'keyset' | 'detail';
}

/**
 * The one SQL statement that finds matching records: the template's rule and the definition's conditions,
 * compiled to a predicate, scoped to the company. A page is a range scan of the index that the keyset follows.
 */
export function buildMatchQuery(o: MatchQueryOptions): { sql: string; params: unknown[] } {
  const params: unknown[] = [o.def.companyId];
  const add = (value: unknown, cast: string) => {
    params.push(value);
    return `$${params.length}::${cast}`;
  };
  const today = todayIn(o.def.timezone, o.asOf);
  const where = ['a.company_id = $1'];
  where.push(o.plan.base.includes('{today}') ? o.plan.base.split('{today}').join(add(today, 'date')) : o.plan.base);
  const context = { definitionId: o.def.id, sequence: o.def.sequence, today, add };
  if (o.plan.rule) where.push(`(${o.plan.rule(context)})`);
  if (o.recordIds) where.push(`a.id = ANY(${add(o.recordIds, 'uuid[]')})`);
  const key = o.plan.keyColumn;
  if (o.page?.cursor) {
    where.push(key
      ? `(a.${key}, a.id) > (${add(o.page.cursor.key, KEY_TYPES[key])}, ${add(o.page.cursor.id, 'uuid')})`
      : `a.id > ${add(o.page.cursor.id, 'uuid')}`);
  }
  const compiled = compileConditions(o.plan.recordType, o.def.conditions, {
    timezone: o.def.timezone, now: o.asOf, alias: 'a', firstParam: params.length + 1,
  });
  params.push(...compiled.params);
  where.push(`(${compiled.sql})`);
  let select = o.select === 'keyset'
    ? `SELECT a.id${key ? `, a.${key}::text AS k` : ''} FROM ${o.plan.table} a`
    : DETAIL_SELECT[o.plan.recordType];
  if (o.select === 'detail' && o.plan.detailColumns) select = select.replace(/^\s*SELECT /, `SELECT ${o.plan.detailColumns(context)}, `);
  let sql = `${select} WHERE ${where.join(' AND ')}`;
  if (o.page) sql += ` ORDER BY ${key ? `a.${key}, ` : ''}a.id LIMIT ${add(o.page.limit, 'int')}`;
  return { sql, params };
}
