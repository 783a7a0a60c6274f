import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { Bill, Customer, Invoice, Payment, Task, User, Vendor } from '../../db/entities';
import { AuthUser } from '../auth/current-user.decorator';
import { mapPage } from '../../db/pagination';
import { TaskCommentsRepository } from '../../db/task-comments.repository';
import { TasksRepository } from '../../db/tasks.repository';
import { todayIn } from '../../domain/dates';
import { DomainError } from '../../domain/errors';
import { dueWindow } from '../../domain/task-inbox';
import { audit } from '../audit/audit-trail';
import { findOwned, orNotFound } from '../common/owned';
import { parseInstant } from '../common/query-filters';
import { PageRequest } from '../../db/pagination';
import { CreateTaskCommentDto, CreateTaskDto, ListTasksQueryDto, ReassignTaskDto, TaskRecordType } from './dto/task.dto';
import { TaskCommentView, TaskView, toTaskCommentView, toTaskView } from './task.mapper';

const RECORDS: Record<TaskRecordType, EntityTarget<ObjectLiteral>> = {
  invoice: Invoice, bill: Bill, payment: Payment, customer: Customer, vendor: Vendor,
};

const SEATS = 'approval decisions follow seats; claiming is for tasks with a candidate group';

@Injectable()
export class TasksService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(user: AuthUser, dto: CreateTaskDto): Promise<TaskView> {
    const manager = this.dataSource.manager;
    if (!dto.assigneeId && !dto.candidateGroupId) {
      throw new DomainError(400, 'a task needs an assigneeId, a candidateGroupId or both', [
        { field: 'assigneeId', message: 'a task needs an assigneeId, a candidateGroupId or both' },
      ]);
    }
    const tasks = new TasksRepository(manager);
    if (dto.assigneeId) await findOwned(manager, User, user.companyId, dto.assigneeId, 'user');
    if (dto.candidateGroupId) orNotFound(await tasks.findCandidateGroup(user.companyId, dto.candidateGroupId), 'approver group', dto.candidateGroupId);
    if (dto.recordType && dto.recordId) await findOwned(manager, RECORDS[dto.recordType], user.companyId, dto.recordId, dto.recordType);
    const task = await tasks.insert({
      companyId: user.companyId, assigneeId: dto.assigneeId?.toLowerCase() ?? null, kind: 'manual', title: dto.title.trim(),
      description: dto.description ?? '', status: 'open', recordType: dto.recordType ?? null, recordId: dto.recordId?.toLowerCase() ?? null,
      approvalId: null, definitionId: null, idempotencyKey: null, dueAt: parseInstant(dto.dueAt, 'dueAt') ?? null,
      dueDate: dto.dueDate ?? null, followUpDate: dto.followUpDate ?? null, candidateGroupId: dto.candidateGroupId?.toLowerCase() ?? null,
      completedAt: null, completedBy: null,
    });
    return this.get(user, task.id);
  }

  async list(user: AuthUser, query: ListTasksQueryDto) {
    const tasks = new TasksRepository(this.dataSource);
    const timezone = await tasks.companyTimezone(user.companyId);
    const filter = {
      holderId: query.assignee === 'me' ? user.id : query.assignee === 'unassigned' ? undefined : query.assignee?.toLowerCase(),
      unassigned: query.assignee === 'unassigned', candidateGroupId: query.candidateGroup?.toLowerCase(),
      status: query.status, kind: query.kind, recordId: query.recordId,
      due: query.due ? dueWindow(query.due, todayIn(timezone, new Date())) : undefined,
    };
    const page = await tasks.findPage(user.companyId, filter, { sort: query.sort ?? 'createdAt', timezone }, query);
    return mapPage(page, (t) => toTaskView(t, timezone));
  }

  async get(user: AuthUser, id: string): Promise<TaskView> {
    const tasks = new TasksRepository(this.dataSource);
    const task = orNotFound(await tasks.findOwned(user.companyId, id), 'task', id);
    return toTaskView(task, await tasks.companyTimezone(user.companyId));
  }

  /**
   * Closes an open task (its assignee, its claimer or an admin). Approval tasks close themselves when the invoice is
   * decided, so completing one by hand is refused: it would look decided while the approval still waits.
   */
  async complete(user: AuthUser, id: string): Promise<TaskView> {
    const tasks = new TasksRepository(this.dataSource);
    const task = orNotFound(await tasks.findOwned(user.companyId, id), 'task', id);
    if (task.assigneeId !== user.id && task.claimedBy !== user.id && user.role !== 'admin') {
      throw new ForbiddenException(`only the assignee of task ${id}, the member who claimed it or an admin may complete it`);
    }
    if (task.kind === 'approval') {
      const kind = task.recordType === 'bill' ? 'bill' : 'invoice';
      throw new ConflictException(
        `task ${id} is an approval task: it closes when the ${kind} is approved or rejected (POST /v1/${kind}s/${task.recordId}/approve or /reject)`,
      );
    }
    if (!(await tasks.completeIfOpen(user.companyId, id, user.id))) {
      const current = orNotFound(await tasks.findOwned(user.companyId, id), 'task', id);
      throw new ConflictException(`task ${id} is already ${current.status}`);
    }
    return this.get(user, id);
  }

  /** A member of the task's candidate group (or an admin) takes it: nobody else may claim it until it is released. */
  async claim(user: AuthUser, id: string): Promise<TaskView> {
    const task = await this.claimable(user, id);
    if (user.role !== 'admin'
      && !(await new TasksRepository(this.dataSource).isCandidate(user.companyId, task.candidateGroupId, user.id))) {
      throw new ForbiddenException(`only a member of the task's candidate group or an admin may claim task ${id}`);
    }
    const won = await this.dataSource.transaction(async (m) => {
      if (!(await new TasksRepository(m).claimIfFree(user.companyId, id, user.id))) return false;
      await audit.record(m, user, { type: 'task.claimed', targetId: id, data: { candidateGroupId: task.candidateGroupId } });
      return true;
    });
    if (!won) {
      const now = await this.claimable(user, id);
      throw new ConflictException(await this.heldMessage(user, now));
    }
    return this.get(user, id);
  }

  /** The claimer, or an admin, gives a claimed task back to its candidate group. */
  async unclaim(user: AuthUser, id: string): Promise<TaskView> {
    const task = await this.claimable(user, id);
    if (task.claimedBy === null) throw new ConflictException(`task ${id} is not claimed`);
    if (task.claimedBy !== user.id && user.role !== 'admin') {
      throw new ForbiddenException(`only the member who claimed task ${id} or an admin may unclaim it`);
    }
    const claimedBy = task.claimedBy;
    const released = await this.dataSource.transaction(async (m) => {
      if (!(await new TasksRepository(m).unclaimIfHeldBy(user.companyId, id, claimedBy))) return false;
      await audit.record(m, user, { type: 'task.unclaimed', targetId: id, data: { claimedBy } });
      return true;
    });
    if (!released) throw new ConflictException(`task ${id} changed meanwhile (claimed or released by someone else): read it again`);
    return this.get(user, id);
  }

  /** Gives an open task to another active user of the company (admins, or whoever holds it); any claim is released. */
  async reassign(user: AuthUser, id: string, dto: ReassignTaskDto): Promise<TaskView> {
    const tasks = new TasksRepository(this.dataSource);
    const task = orNotFound(await tasks.findOwned(user.companyId, id), 'task', id);
    if (task.kind === 'approval') {
      throw new ConflictException(`task ${id} is an approval task: ${SEATS}; an approver hands requests on with PUT /v1/users/me/delegation`);
    }
    if (user.role !== 'admin' && task.assigneeId !== user.id && task.claimedBy !== user.id) {
      throw new ForbiddenException(`only the assignee of task ${id}, the member who claimed it or an admin may reassign it`);
    }
    const assigneeId = dto.assigneeId.toLowerCase();
    const assignee = await tasks.findUser(user.companyId, assigneeId);
    if (!assignee) throw new NotFoundException(`user ${dto.assigneeId} not found`);
    if (assignee.status !== 'active') throw new ConflictException(`user ${assigneeId} is deactivated and cannot be given tasks`);
    if (task.status !== 'open') throw new ConflictException(`task ${id} is ${task.status}`);
    const moved = await this.dataSource.transaction(async (m) => {
      if (!(await new TasksRepository(m).reassignIfUnchanged(user.companyId, id, assigneeId, task))) return false;
      await audit.record(m, user, { type: 'task.reassigned', targetId: id, data: { from: task.assigneeId, to: assigneeId, claimedBy: task.claimedBy } });
      return true;
    });
    if (!moved) throw new ConflictException(`task ${id} changed meanwhile (closed, claimed or reassigned): read it again`);
    return this.get(user, id);
  }

  async comment(user: AuthUser, id: string, dto: CreateTaskCommentDto): Promise<TaskCommentView> {
    orNotFound(await new TasksRepository(this.dataSource).findOwned(user.companyId, id), 'task', id);
    const comment = await this.dataSource.transaction(async (m) => {
      const saved = await new TaskCommentsRepository(m).insert({ companyId: user.companyId, taskId: id, authorId: user.id, body: dto.body });
      await audit.record(m, user, { type: 'task.commented', targetId: id, data: { commentId: saved.id } });
      return saved;
    });
    return toTaskCommentView(comment);
  }

  async comments(user: AuthUser, id: string, page: PageRequest) {
    orNotFound(await new TasksRepository(this.dataSource).findOwned(user.companyId, id), 'task', id);
    return mapPage(await new TaskCommentsRepository(this.dataSource).findPage(user.companyId, id, page), toTaskCommentView);
  }

  /** The task, if claiming is something it has: an open task of a candidate group, not an approval task. */
  private async claimable(user: AuthUser, id: string): Promise<Task & { candidateGroupId: string }> {
    const task = orNotFound(await new TasksRepository(this.dataSource).findOwned(user.companyId, id), 'task', id);
    if (task.kind === 'approval') throw new ConflictException(`task ${id} is an approval task: ${SEATS}`);
    if (task.candidateGroupId === null) {
      throw new ConflictException(`task ${id} has no candidate group: claiming is for tasks with a candidate group; an admin or its assignee may reassign it`);
    }
    if (task.status !== 'open') throw new ConflictException(`task ${id} is ${task.status}`);
    return task as Task & { candidateGroupId: string };
  }

  private async heldMessage(user: AuthUser, task: Task): Promise<string> {
    if (!task.claimedBy || !task.claimedAt) return `task ${task.id} could not be claimed: read it again`;
    const holder = await new TasksRepository(this.dataSource).findUser(user.companyId, task.claimedBy);
    return `task ${task.id} is already claimed by ${holder?.name ?? 'a former user'} (${task.claimedBy}) since ${task.claimedAt.toISOString()}`;
  }
}
