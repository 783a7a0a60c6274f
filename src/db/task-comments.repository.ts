import { TaskComment } from './entities';
import { type Db, managerOf } from './owned';
import { type Page, type PageRequest, paginate } from './pagination';

/** The comments of a company's tasks. `db` may be a transaction's manager. */
export class TaskCommentsRepository {
  constructor(private readonly db: Db) {}

  private get m() {
    return managerOf(this.db);
  }

  insert(fields: Pick<TaskComment, 'companyId' | 'taskId' | 'authorId' | 'body'>): Promise<TaskComment> {
    const repo = this.m.getRepository(TaskComment);
    return repo.save(repo.create(fields));
  }

  /** A page of a task's comments, oldest first. */
  findPage(companyId: string, taskId: string, page: PageRequest): Promise<Page<TaskComment>> {
    const qb = this.m.getRepository(TaskComment).createQueryBuilder('c')
      .where('c.company_id = :companyId AND c.task_id = :taskId', { companyId, taskId });
    return paginate(qb, page, (c) => c);
  }
}
