import { decodeCursor, encodeCursor } from './cursor';
import { WorkflowDefinition, WorkflowDefinitionVersion } from './entities';
import { type Db, managerOf } from './owned';
import type { Page, PageRequest } from './pagination';

type Content = Pick<WorkflowDefinition, 'id' | 'companyId' | 'version' | 'name' | 'conditions' | 'actions' | 'schedule' | 'sequence'>;

/** The versions of workflow definitions (each with its content as saved). `db` may be a transaction's manager. */
export class WorkflowDefinitionVersionsRepository {
  constructor(private readonly db: Db) {}

  private get m() {
    return managerOf(this.db);
  }

  /** Records each definition's current version (its `version`) with its content, made by `createdBy` (null: by Relance). */
  async insert(definitions: Array<Content & { createdBy: string | null }>): Promise<void> {
    for (const d of definitions) {
      await this.m.query(
        `INSERT INTO workflow_definition_versions (definition_id, company_id, version, name, conditions, actions, schedule, sequence, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [d.id, d.companyId, d.version, d.name, json(d.conditions), json(d.actions), json(d.schedule), json(d.sequence), d.createdBy],
      );
    }
  }

  /** Rewrites the content of the definition's current version (an edit that makes no version); who made it and when stay. */
  async rewriteCurrent(d: Content): Promise<void> {
    await this.m.query(
      `UPDATE workflow_definition_versions SET name = $3, conditions = $4, actions = $5, schedule = $6, sequence = $7
        WHERE definition_id = $1 AND version = $2`,
      [d.id, d.version, d.name, json(d.conditions), json(d.actions), json(d.schedule), json(d.sequence)],
    );
  }

  /** A page of the definition's versions, newest first; the cursor names the last version of the previous page. */
  async findPage(definitionId: string, page: PageRequest): Promise<Page<WorkflowDefinitionVersion>> {
    const limit = page.limit ?? 50;
    const qb = this.m.getRepository(WorkflowDefinitionVersion).createQueryBuilder('v').where('v.definition_id = :definitionId', { definitionId });
    if (page.cursor) {
      const { id } = decodeCursor(page.cursor);
      qb.andWhere('v.version < (SELECT c.version FROM workflow_definition_versions c WHERE c.id = :cursorId AND c.definition_id = :definitionId)', { cursorId: id });
    }
    const rows = await qb.orderBy('v.version', 'DESC').limit(limit + 1).getMany();
    const data = rows.slice(0, limit);
    const last = data[data.length - 1];
    return { data, nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt.toISOString(), last.id) : null };
  }

  findOne(definitionId: string, version: number): Promise<WorkflowDefinitionVersion | null> {
    return this.m.findOne(WorkflowDefinitionVersion, { where: { definitionId, version } });
  }
}

/** A jsonb parameter (the driver would send an array as a Postgres array); null stays SQL null. */
function json(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}
