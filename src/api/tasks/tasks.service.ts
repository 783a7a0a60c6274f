import { ConflictException, ForbiddenException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { Bill, Customer, Invoice, Payment, User, Vendor } from '../../db/entities';
import { AuthUser } from '../auth/current-user.decorator';
import { mapPage } from '../../db/pagination';
import { TasksRepository } from '../../db/tasks.repository';
import { findOwned, orNotFound } from '../common/owned';
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
    const task = await new TasksRepository(manager).insert({
      companyId: user.companyId, assigneeId: dto.assigneeId.toLowerCase(), kind: 'manual', title: dto.title.trim(),
      description: dto.description ?? '', status: 'open', recordType: dto.recordType ?? null, recordId: dto.recordId?.toLowerCase() ?? null,
      approvalId: null, definitionId: null, idempotencyKey: null, dueAt: parseInstant(dto.dueAt, 'dueAt') ?? null,
      completedAt: null, completedBy: null,
    });
    return this.get(user, task.id);
  }

  async list(user: AuthUser, query: ListTasksQueryDto) {
    const filter = {
      assigneeId: query.assignee === 'me' ? user.id : query.assignee, status: query.status, kind: query.kind, recordId: query.recordId,
    };
    return mapPage(await new TasksRepository(this.dataSource).findPage(user.companyId, filter, query), toTaskView);
  }

  async get(user: AuthUser, id: string): Promise<TaskView> {
    return toTaskView(orNotFound(await new TasksRepository(this.dataSource).findOwned(user.companyId, id), 'task', id));
  }

  /**
   * Closes an open task (its assignee or an admin). Approval tasks close themselves when the invoice is decided,
   * so completing one by hand is refused: it would look decided while the approval still waits.
   */
  async complete(user: AuthUser, id: string): Promise<TaskView> {
    const tasks = new TasksRepository(this.dataSource);
    const task = orNotFound(await tasks.findOwned(user.companyId, id), 'task', id);
    if (task.assigneeId !== user.id && user.role !== 'admin') {
      throw new ForbiddenException(`only the assignee of task ${id} or an admin may complete it`);
    }
    if (task.kind === 'approval') {
      throw new ConflictException(
        `task ${id} is an approval task: it closes when the invoice is approved or rejected (POST /v1/invoices/${task.recordId}/approve or /reject)`,
      );
    }
    if (!(await tasks.completeIfOpen(user.companyId, id, user.id))) {
      const current = orNotFound(await tasks.findOwned(user.companyId, id), 'task', id);
      throw new ConflictException(`task ${id} is already ${current.status}`);
    }
    return this.get(user, id);
  }
}
