import { type DataSource, In, type ObjectLiteral } from 'typeorm';
import type { DeferredPartInput, FinishRunInput, StartRunInput, SweepCursor } from '../contracts';
import { compileConditions, type Condition, type RecordType } from '../domain/conditions';
import { Bill, Customer, Invoice, Location, Payment, User, Vendor } from './entities';
import { skipReasonSql, type SweepPlan } from './sweep-plans';
import { buildMatchQuery, loadSweepDefinition, type SweepDefinition } from './sweep-query';

/** A member of the company that an action names (an email's team recipient, a push's user, a task's assignee). */
export interface Member {
  email: string;
  name: string;
}

const RECORD_TABLES: Record<RecordType, string> = { invoice: 'invoices', bill: 'bills', payment: 'payments' };
const RECORD_ENTITIES: Record<RecordType, new () => ObjectLiteral> = { invoice: Invoice, bill: Bill, payment: Payment };

/** The ids a preview's records and actions refer to. */
export interface PreviewReferences {
  customerIds: string[];
  vendorIds: string[];
  locationIds: string[];
  userIds: string[];
  invoiceIds: string[];
}

/** Those of the referred records that are the company's. */
export interface PreviewLookups {
  customers: Customer[];
  vendors: Vendor[];
  locations: Location[];
  users: User[];
  invoices: Invoice[];
}

/** What a sweep reads and records: its definition, the pages of matching records, their details, its run row. */
export class SweepsRepository {
  constructor(private readonly dataSource: DataSource) {}

  findDefinition(definitionId: string, companyId: string): Promise<SweepDefinition | null> {
    return loadSweepDefinition(this.dataSource, definitionId, companyId);
  }

  /** One keyset page of matching ids (with their order key), `limit` of them after `cursor`: one indexed statement. */
  async findMatchingIds(
    plan: SweepPlan, def: SweepDefinition, asOf: Date, page: { cursor: SweepCursor | null; limit: number } | undefined, recordIds?: string[],
  ): Promise<{ id: string; k?: string }[]> {
    const { sql, params } = buildMatchQuery({ plan, def, asOf, page, recordIds, select: 'keyset' });
    return this.dataSource.query(sql, params);
  }

  /** The given records that still match, with the details their messages use. */
  async findMatchingDetails(plan: SweepPlan, def: SweepDefinition, asOf: Date, recordIds: string[]): Promise<Record<string, unknown>[]> {
    const { sql, params } = buildMatchQuery({ plan, def, asOf, recordIds, select: 'detail' });
    return this.dataSource.query(sql, params);
  }

  /**
   * The matching records (with their details) of the customers of `rows` that are not among `exceptIds`: a statement
   * lists every invoice of its customer that has a step due, whichever batch of the run holds it.
   */
  async findOtherMatchesOfCustomers(
    plan: SweepPlan, def: SweepDefinition, asOf: Date, rows: Record<string, unknown>[], exceptIds: string[],
  ): Promise<Record<string, unknown>[]> {
    const customerIds = [...new Set(rows.map((r) => r.customer_id).filter((id): id is string => typeof id === 'string'))];
    if (customerIds.length === 0) return [];
    const ofCustomers = { ...def, conditions: [...def.conditions, { field: 'customerId', op: 'in' as const, value: customerIds }] };
    const except = new Set(exceptIds);
    const others = (await this.findMatchingIds(plan, ofCustomers, asOf, undefined)).map((r) => r.id).filter((id) => !except.has(id));
    return others.length === 0 ? [] : this.findMatchingDetails(plan, def, asOf, others);
  }

  /**
   * The company's records of a type that meet the conditions now, in creation order, at most `limit` (a preview: the
   * definition's own conditions, without the template's rule or the keyset of a sweep).
   */
  async findConditionMatches(
    companyId: string, recordType: RecordType, conditions: Condition[], at: { timezone: string; now: Date }, limit: number,
  ): Promise<string[]> {
    const { sql, params } = compileConditions(recordType, conditions, { ...at, alias: 'r', firstParam: 2 });
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT r.id FROM ${RECORD_TABLES[recordType]} r WHERE r.company_id = $1 AND ${sql} ORDER BY r.created_at, r.id LIMIT ${limit}`,
      [companyId, ...params],
    );
    return rows.map((r) => r.id);
  }

  /** The records of a type with these ids (as entities, in no particular order). */
  async findRecords(recordType: RecordType, ids: string[]): Promise<ObjectLiteral[]> {
    if (ids.length === 0) return [];
    return this.dataSource.getRepository(RECORD_ENTITIES[recordType]).findBy({ id: In(ids) });
  }

  /** What a preview's messages refer to, each of the company's only. */
  async findPreviewLookups(companyId: string, refs: PreviewReferences): Promise<PreviewLookups> {
    const [customers, vendors, locations, users, invoices] = await Promise.all([
      this.findOfCompany(Customer, companyId, refs.customerIds),
      this.findOfCompany(Vendor, companyId, refs.vendorIds),
      this.findOfCompany(Location, companyId, refs.locationIds),
      this.findOfCompany(User, companyId, refs.userIds),
      this.findOfCompany(Invoice, companyId, refs.invoiceIds),
    ]);
    return { customers, vendors, locations, users, invoices };
  }

  private findOfCompany<T extends ObjectLiteral & { id: string }>(entity: new () => T, companyId: string, wanted: string[]): Promise<T[]> {
    if (wanted.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(entity).findBy({ id: In(wanted), companyId } as never);
  }

  /** The skip reason the sweep's SQL gives each of the company's invoices among `invoiceIds` on `today` (null: none). */
  async findSkipReasons(companyId: string, today: string, invoiceIds: string[]): Promise<Map<string, string | null>> {
    const rows: { id: string; reason: string | null }[] = await this.dataSource.query(
      `SELECT a.id, ${skipReasonSql('$2::date')} AS reason FROM invoices a WHERE a.company_id = $1 AND a.id = ANY($3::uuid[])`,
      [companyId, today, invoiceIds]);
    return new Map(rows.map((r) => [r.id, r.reason]));
  }

  /** The users of the company among `userIds` (ids that are not uuids are simply not members). */
  async findMembers(companyId: string, userIds: string[]): Promise<Map<string, Member>> {
    const uuids = userIds.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
    const rows: ({ id: string } & Member)[] = await this.dataSource.query(
      'SELECT id, email, name FROM users WHERE company_id = $1 AND id = ANY($2::uuid[])', [companyId, uuids]);
    return new Map(rows.map((u) => [u.id, { email: u.email, name: u.name }]));
  }

  /** Active definitions of a template in the company, oldest first. */
  async findActiveDefinitionIds(companyId: string, templateKey: string): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT d.id FROM workflow_definitions d WHERE d.company_id = $1 AND d.template_key = $2 AND d.status = 'active'
        ORDER BY d.created_at, d.id`,
      [companyId, templateKey],
    );
    return rows.map((r) => r.id);
  }

  /** The run's row, once per Temporal run (a retry finds the same row through the unique workflow and run ids). */
  async recordRunStarted(
    def: Pick<SweepDefinition, 'id' | 'companyId'>, run: Pick<StartRunInput, 'kind' | 'trigger'> & { workflowId: string; runId: string },
  ): Promise<{ id: string; startedAt: Date }> {
    const [row] = await this.dataSource.query(
      `INSERT INTO workflow_runs (company_id, definition_id, kind, trigger, temporal_workflow_id, temporal_run_id)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (temporal_workflow_id, temporal_run_id) DO UPDATE SET trigger = EXCLUDED.trigger
       RETURNING id, started_at`,
      [def.companyId, def.id, run.kind, run.trigger, run.workflowId, run.runId],
    );
    return { id: row.id, startedAt: new Date(row.started_at) };
  }

  /**
   * The counts of one workflow delivering what waited for the send window, under its own key: written absolutely, so
   * that a retried write counts nothing twice; the run's figures add them to its own (workflow-runs.repository.ts).
   */
  async recordDeferredPart(input: DeferredPartInput): Promise<void> {
    const { runRecordId, part, ...counts } = input;
    await this.dataSource.query(
      `UPDATE workflow_runs SET deferred_parts = jsonb_set(deferred_parts, ARRAY[$2::text], $3::jsonb) WHERE id = $1`,
      [runRecordId, part, JSON.stringify(counts)],
    );
  }

  async recordRunFinished(input: FinishRunInput): Promise<void> {
    await this.dataSource.query(
      `UPDATE workflow_runs SET status = $2, ended_at = now(), matched = $3, delivered = $4, skipped = $5, failed = $6, errors = $7, deferred = 0
        WHERE id = $1`,
      [input.runRecordId, input.status, input.matched, input.delivered, input.skipped, input.failed, JSON.stringify(input.errors)],
    );
  }
}
