import { DomainError } from '../domain/errors';
import { isUuid } from '../domain/ids';
import { isValidDate } from '../domain/dates';
import { type DueWindow, type TaskSort, TASK_SORTS, taskDueDate } from '../domain/task-inbox';
import { ApproverGroup, Task } from './entities';
import { type Db, findOfCompany, managerOf } from './owned';
import type { Page, PageRequest } from './pagination';

/** Which tasks of a company a list shows (each absent filter lets every task through). */
export interface TaskListFilter {
  /** Tasks this user holds: assigned to them or claimed by them. */
  holderId?: string;
  /** Tasks nobody holds: no assignee and unclaimed. */
  unassigned?: boolean;
  candidateGroupId?: string;
  status?: Task['status'];
  kind?: Task['kind'];
  recordId?: string;
  due?: DueWindow;
}

/** A list's order, and the zone that a task with only a dueAt takes its due day in. */
export interface TaskOrder {
  sort: TaskSort;
  timezone: string;
}

export type NewTask = Omit<Task, 'id' | 'createdAt' | 'dueDate' | 'followUpDate' | 'candidateGroupId' | 'claimedBy' | 'claimedAt'>
  & Partial<Pick<Task, 'dueDate' | 'followUpDate' | 'candidateGroupId'>>;

/** Where a page of a sorted list resumes: the sort, the last row's sort key (null: no due day) and its id. */
interface TaskCursor {
  sort: TaskSort;
  key: string | null;
  id: string;
}

const BAD_CURSOR = 'cursor is not valid: pass the nextCursor of a previous page unchanged';

function encodeTaskCursor(c: TaskCursor): string {
  return Buffer.from(JSON.stringify([c.sort, c.key, c.id])).toString('base64url');
}

/** A cursor of a page of the same sort, or a 400. Cursors from before sorting (`[createdAt, id]`) are in creation order. */
function decodeTaskCursor(cursor: string, sort: TaskSort): TaskCursor {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new DomainError(400, BAD_CURSOR);
  }
  if (!Array.isArray(value)) throw new DomainError(400, BAD_CURSOR);
  const [of, key, id] = value.length === 2 ? ['createdAt', ...value] as unknown[] : value as unknown[];
  if (!TASK_SORTS.includes(of as TaskSort) || !isUuid(id)) throw new DomainError(400, BAD_CURSOR);
  if (of !== sort) {
    throw new DomainError(400, `cursor belongs to sort=${String(of)}, not sort=${sort}: pass the nextCursor of a previous page of the same list`);
  }
  const byDue = sort.endsWith('dueDate');
  const keyOk = byDue ? key === null || isValidDate(key) : typeof key === 'string' && !Number.isNaN(Date.parse(key));
  if (!keyOk) throw new DomainError(400, BAD_CURSOR);
  return { sort, key: key as string | null, id: id as string };
}

/** The day a task is due, in SQL: the same rule as `taskDueDate`. */
const DUE_DAY = 'COALESCE(t.due_date, CAST(t.due_at AT TIME ZONE :tz AS date))';

/** Tasks of a company. `db` may be a transaction's manager. */
export class TasksRepository {
  constructor(private readonly db: Db) {}

  private get m() {
    return managerOf(this.db);
  }

  insert(fields: NewTask): Promise<Task> {
    const repo = this.m.getRepository(Task);
    return repo.save(repo.create(fields));
  }

  /** A page of the company's tasks in the order asked, keyset on (sort key, id) with tasks without a due day last. */
  async findPage(companyId: string, filter: TaskListFilter, order: TaskOrder, page: PageRequest): Promise<Page<Task>> {
    const qb = this.m.getRepository(Task).createQueryBuilder('t').where('t.company_id = :companyId', { companyId })
      .setParameter('tz', order.timezone);
    if (filter.holderId) qb.andWhere('(t.assignee_id = :holder OR t.claimed_by = :holder)', { holder: filter.holderId });
    if (filter.unassigned) qb.andWhere('t.assignee_id IS NULL AND t.claimed_by IS NULL');
    if (filter.candidateGroupId) qb.andWhere('t.candidate_group_id = :group', { group: filter.candidateGroupId });
    if (filter.status) qb.andWhere('t.status = :status', { status: filter.status });
    if (filter.kind) qb.andWhere('t.kind = :kind', { kind: filter.kind });
    if (filter.recordId) qb.andWhere('t.record_id = :recordId', { recordId: filter.recordId });
    if (filter.due) {
      qb.andWhere(`${DUE_DAY} <= :dueTo`, { dueTo: filter.due.to });
      if (filter.due.from) qb.andWhere(`${DUE_DAY} >= :dueFrom`, { dueFrom: filter.due.from });
      if (filter.due.openOnly) qb.andWhere("t.status = 'open'");
    }

    const byDue = order.sort.endsWith('dueDate');
    const desc = order.sort.startsWith('-');
    const key = byDue ? DUE_DAY : 't.created_at';
    const after = desc ? '<' : '>';
    if (page.cursor) {
      const c = decodeTaskCursor(page.cursor, order.sort);
      if (c.key === null) {
        qb.andWhere(`${key} IS NULL AND t.id ${after} :cursorId`, { cursorId: c.id });
      } else {
        qb.andWhere(`(${key} ${after} :cursorKey OR (${key} = :cursorKey AND t.id ${after} :cursorId) OR ${key} IS NULL)`,
          { cursorKey: byDue ? c.key : new Date(c.key), cursorId: c.id });
      }
    }
    const direction = desc ? 'DESC' : 'ASC';
    const limit = page.limit ?? 50;
    const rows = await qb.orderBy(key, direction, 'NULLS LAST').addOrderBy('t.id', direction).limit(limit + 1).getMany();
    const more = rows.length > limit;
    const data = more ? rows.slice(0, limit) : rows;
    const last = data[data.length - 1];
    if (!more || !last) return { data, nextCursor: null };
    const lastKey = byDue ? taskDueDate(last, order.timezone) : last.createdAt.toISOString();
    return { data, nextCursor: encodeTaskCursor({ sort: order.sort, key: lastKey, id: last.id }) };
  }

  findOwned(companyId: string, id: string): Promise<Task | null> {
    return findOfCompany(this.m, Task, companyId, id);
  }

  /** The company's time zone: the calendar of due days. */
  async companyTimezone(companyId: string): Promise<string> {
    const [row] = await this.m.query('SELECT timezone FROM companies WHERE id = $1', [companyId]) as { timezone: string }[];
    return row?.timezone ?? 'UTC';
  }

  /** An approver group of the company, or null (another company's answers like an unknown one). */
  findCandidateGroup(companyId: string, groupId: string): Promise<ApproverGroup | null> {
    return findOfCompany(this.m, ApproverGroup, companyId, groupId);
  }

  /** Whether the user is a member of the company's group (whom a task for that group is offered to). */
  async isCandidate(companyId: string, groupId: string, userId: string): Promise<boolean> {
    const rows = await this.m.query(
      'SELECT 1 FROM approver_group_members WHERE company_id = $1 AND group_id = $2 AND user_id = $3', [companyId, groupId, userId],
    ) as unknown[];
    return rows.length > 0;
  }

  /** The user's name and status, or null when the company has no such user. */
  async findUser(companyId: string, userId: string): Promise<{ name: string; status: string } | null> {
    const [row] = await this.m.query('SELECT name, status FROM users WHERE company_id = $1 AND id = $2', [companyId, userId]) as
      { name: string; status: string }[];
    return row ?? null;
  }

  /**
   * Claims the open task of a candidate group for `userId` if nobody holds a claim on it: one conditional UPDATE, so of
   * two claims at once exactly one wins. False when the task was claimed (or closed) meanwhile.
   */
  async claimIfFree(companyId: string, id: string, userId: string): Promise<boolean> {
    const [, affected] = await this.m.query(
      `UPDATE tasks SET claimed_by = $3, claimed_at = date_trunc('milliseconds', now())
       WHERE id = $1 AND company_id = $2 AND claimed_by IS NULL AND status = 'open' AND candidate_group_id IS NOT NULL
         AND kind <> 'approval'
       RETURNING id`, [id, companyId, userId]) as [unknown[], number];
    return affected > 0;
  }

  /** Releases the claim if `claimedBy` still holds it; false when it changed meanwhile. */
  async unclaimIfHeldBy(companyId: string, id: string, claimedBy: string): Promise<boolean> {
    const [, affected] = await this.m.query(
      `UPDATE tasks SET claimed_by = NULL, claimed_at = NULL WHERE id = $1 AND company_id = $2 AND claimed_by = $3 RETURNING id`,
      [id, companyId, claimedBy]) as [unknown[], number];
    return affected > 0;
  }

  /**
   * Gives the open task to `assigneeId` and releases any claim, if its assignee and claim are still those the caller
   * saw (`from`); false when it changed meanwhile or is no longer open.
   */
  async reassignIfUnchanged(companyId: string, id: string, assigneeId: string, from: Pick<Task, 'assigneeId' | 'claimedBy'>): Promise<boolean> {
    const [, affected] = await this.m.query(
      `UPDATE tasks SET assignee_id = $3, claimed_by = NULL, claimed_at = NULL
       WHERE id = $1 AND company_id = $2 AND status = 'open'
         AND assignee_id IS NOT DISTINCT FROM $4::uuid AND claimed_by IS NOT DISTINCT FROM $5::uuid
       RETURNING id`, [id, companyId, assigneeId, from.assigneeId, from.claimedBy]) as [unknown[], number];
    return affected > 0;
  }

  /** Completes the task if it is still open; false when it is not (or is not the company's). */
  async completeIfOpen(companyId: string, id: string, completedBy: string): Promise<boolean> {
    const result = await this.m.getRepository(Task).createQueryBuilder().update()
      .set({ status: 'completed', completedAt: () => 'now()', completedBy })
      .where('id = :id AND company_id = :companyId AND status = :open', { id, companyId, open: 'open' })
      .execute();
    return Boolean(result.affected);
  }
}
