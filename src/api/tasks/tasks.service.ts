import { ConflictException, ForbiddenException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { Bill, Customer, Invoice, Payment, Task, User, Vendor } from '../../db/entities';
import { AuthUser } from '../auth/current-user.decorator';
import { findOwned } from '../common/owned';
import { paginate } from '../../db/pagination';
import { parseInstant } from '../common/query-filters';
import { CreateTaskDto, ListTasksQueryDto, TaskRecordType } from './dto/task.dto';
import { TaskView, toTaskView } from './task.mapper';

const RECORDS: Record<TaskRecordType, EntityTarget<ObjectLiteral>> = {
  invoice: Invoice, bill: Bill, payment: Payment, customer: Customer, vendor: Vendor,
};

@Injectable()
export class TasksService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(user: AuthUser, dto: CreateTaskDto): Promise<TaskView> {
    const manager = this.dataSource.manager;
    await findOwned(manager, User, user.companyId, dto.assigneeId, 'user');
    if (dto.recordType && dto.recordId) await findOwned(manager, RECORDS[dto.recordType], user.companyId, dto.recordId, dto.recordType);
    const repo = manager.getRepository(Task);
    const task = await repo.save(repo.create({
      companyId: user.companyId, assigneeId: dto.assigneeId.toLowerCase(), kind: 'manual', title: dto.title.trim(),
      description: dto.description ?? '', status: 'open', recordType: dto.recordType ?? null, recordId: dto.recordId?.toLowerCase() ?? null,
      approvalId: null, definitionId: null, idempotencyKey: null, dueAt: parseInstant(dto.dueAt, 'dueAt') ?? null,
      completedAt: null, completedBy: null,
    }));
    return this.get(user, task.id);
  }

  list(user: AuthUser, query: ListTasksQueryDto) {
    const qb = this.dataSource.getRepository(Task).createQueryBuilder('t').where('t.company_id = :companyId', { companyId: user.companyId });
    if (query.assignee) qb.andWhere('t.assignee_id = :assignee', { assignee: query.assignee === 'me' ? user.id : query.assignee });
    if (query.status) qb.andWhere('t.status = :status', { status: query.status });
    if (query.kind) qb.andWhere('t.kind = :kind', { kind: query.kind });
    if (query.recordId) qb.andWhere('t.record_id = :recordId', { recordId: query.recordId });
    return paginate(qb, query, toTaskView);
  }

  async get(user: AuthUser, id: string): Promise<TaskView> {
    return toTaskView(await findOwned(this.dataSource.manager, Task, user.companyId, id, 'task'));
  }

  /**
   * Closes an open task (its assignee or an admin). Approval tasks close themselves when the invoice is decided,
   * so completing one by hand is refused: it would look decided while the approval still waits.
   */
  async complete(user: AuthUser, id: string): Promise<TaskView> {
    const task = await findOwned(this.dataSource.manager, Task, user.companyId, id, 'task');
    if (task.assigneeId !== user.id && user.role !== 'admin') {
      throw new ForbiddenException(`only the assignee of task ${id} or an admin may complete it`);
    }
    if (task.kind === 'approval') {
      throw new ConflictException(
        `task ${id} is an approval task: it closes when the invoice is approved or rejected (POST /v1/invoices/${task.recordId}/approve or /reject)`,
      );
    }
    const result = await this.dataSource.getRepository(Task).createQueryBuilder().update()
      .set({ status: 'completed', completedAt: () => 'now()', completedBy: user.id })
      .where('id = :id AND company_id = :companyId AND status = :open', { id, companyId: user.companyId, open: 'open' })
      .execute();
    if (!result.affected) {
      const current = await findOwned(this.dataSource.manager, Task, user.companyId, id, 'task');
      throw new ConflictException(`task ${id} is already ${current.status}`);
    }
    return this.get(user, id);
  }
}
