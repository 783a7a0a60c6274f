import { Task } from './entities';
import { type Db, findOfCompany, managerOf } from './owned';
import { type Page, type PageRequest, paginate } from './pagination';

/** Which tasks of a company a list shows (each absent filter lets every task through). */
export interface TaskListFilter {
  assigneeId?: string;
  status?: Task['status'];
  kind?: Task['kind'];
  recordId?: string;
}

export type NewTask = Omit<Task, 'id' | 'createdAt'>;

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

  /** A page of the company's tasks in creation order. */
  findPage(companyId: string, filter: TaskListFilter, page: PageRequest): Promise<Page<Task>> {
    const qb = this.m.getRepository(Task).createQueryBuilder('t').where('t.company_id = :companyId', { companyId });
    if (filter.assigneeId) qb.andWhere('t.assignee_id = :assignee', { assignee: filter.assigneeId });
    if (filter.status) qb.andWhere('t.status = :status', { status: filter.status });
    if (filter.kind) qb.andWhere('t.kind = :kind', { kind: filter.kind });
    if (filter.recordId) qb.andWhere('t.record_id = :recordId', { recordId: filter.recordId });
    return paginate(qb, page, (t) => t);
  }

  findOwned(companyId: string, id: string): Promise<Task | null> {
    return findOfCompany(this.m, Task, companyId, id);
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
