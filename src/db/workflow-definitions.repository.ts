import { DefinitionStatus, WorkflowDefinition } from './entities';
import { type Db, findOfCompany, managerOf } from './owned';
import { type Page, type PageRequest, paginate } from './pagination';
import { WorkflowDefinitionVersionsRepository } from './workflow-definition-versions.repository';

/** Which definitions of a company a list shows (each absent filter lets every definition through). */
export interface DefinitionListFilter {
  templateKey?: string;
  statuses?: string[];
}

export type NewDefinition = Pick<WorkflowDefinition,
  'companyId' | 'templateKey' | 'name' | 'status' | 'conditions' | 'actions' | 'schedule' | 'locale' | 'createdBy'> & Partial<Pick<WorkflowDefinition, 'sequence'>>;

/** Workflow definitions of a company. `db` may be a transaction's manager. */
export class WorkflowDefinitionsRepository {
  constructor(private readonly db: Db) {}

  private get m() {
    return managerOf(this.db);
  }

  /** Saves a new definition and its version 1. */
  async insert(fields: NewDefinition): Promise<WorkflowDefinition> {
    const [row] = await this.insertAll([fields]);
    return row;
  }

  async insertAll(rows: NewDefinition[]): Promise<WorkflowDefinition[]> {
    const saved = await this.m.save(rows.map((fields) => this.m.create(WorkflowDefinition, { ...fields, version: 1 })));
    await new WorkflowDefinitionVersionsRepository(this.m).insert(saved);
    return saved;
  }

  /** A page of the company's definitions in creation order. */
  findPage(companyId: string, filter: DefinitionListFilter, page: PageRequest): Promise<Page<WorkflowDefinition>> {
    const qb = this.m.getRepository(WorkflowDefinition).createQueryBuilder('d').where('d.company_id = :companyId', { companyId });
    if (filter.templateKey !== undefined) qb.andWhere('d.template_key = :templateKey', { templateKey: filter.templateKey });
    if (filter.statuses) qb.andWhere('d.status IN (:...statuses)', { statuses: filter.statuses });
    return paginate(qb, page, (d) => d);
  }

  findOwned(companyId: string, id: string, options: { lock?: boolean } = {}): Promise<WorkflowDefinition | null> {
    return findOfCompany(this.m, WorkflowDefinition, companyId, id, options);
  }

  /** The company's active definitions of a template, oldest first. */
  findActive(companyId: string, templateKey: string): Promise<WorkflowDefinition[]> {
    return this.m.find(WorkflowDefinition, {
      where: { companyId, templateKey, status: 'active' },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  save(row: WorkflowDefinition): Promise<WorkflowDefinition> {
    return this.m.save(row);
  }

  async delete(id: string): Promise<void> {
    await this.m.delete(WorkflowDefinition, { id });
  }

  /** The furthest step (0-based) of the definition's sequence that an invoice reached, or -1. */
  async furthestStepReached(definitionId: string): Promise<number> {
    const [row] = await this.m.query('SELECT max(last_step) AS reached FROM collection_progress WHERE definition_id = $1', [definitionId]);
    return row?.reached === null || row?.reached === undefined ? -1 : Number(row.reached);
  }

  /** Sets every definition of the company in status `from` to `to` (a downgrade deactivates the active ones). */
  async setStatusOfCompany(companyId: string, from: DefinitionStatus, to: DefinitionStatus): Promise<void> {
    await this.m.getRepository(WorkflowDefinition).update({ companyId, status: from }, { status: to });
  }
}
