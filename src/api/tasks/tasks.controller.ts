import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { ApiAuthenticated, ApiErrors, PageOf } from '../common/api-docs';
import { IdPipe } from '../common/id-param.pipe';
import { ListQueryDto } from '../common/pagination';
import { CreateTaskCommentDto, CreateTaskDto, ListTasksQueryDto, ReassignTaskDto } from './dto/task.dto';
import { taskCommentExample, TaskCommentView, taskExample, TaskView } from './task.mapper';
import { TasksService } from './tasks.service';
import { Idempotent } from '../common/idempotency.interceptor';

const notFound = 'task 7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b4a not found';
const groupTask: TaskView = { ...taskExample, kind: 'manual', definitionId: null, assigneeId: null, candidateGroupId: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b' };
const claimed: TaskView = { ...groupTask, claimedBy: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', claimedAt: '2026-12-02T15:00:00.000Z' };

@ApiTags('tasks')
@ApiAuthenticated()
@Controller('v1/tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @ApiOperation({ summary: 'Lists tasks (approval, reminder and manual), e.g. `?assignee=me&status=open&due=overdue&sort=dueDate`' })
  @ApiOkResponse({ type: PageOf(TaskView), example: { data: [taskExample], nextCursor: null } })
  @ApiErrors({ 400: 'cursor belongs to sort=dueDate, not sort=createdAt: pass the nextCursor of a previous page of the same list' })
  list(@CurrentUser() user: AuthUser, @Query() query: ListTasksQueryDto) {
    return this.tasks.list(user, query);
  }

  @Post()
  @Idempotent()
  @ApiOperation({ summary: 'Creates a manual task for a user of the company or an approver group (a member claims it), optionally about a record' })
  @ApiCreatedResponse({ type: TaskView, example: { ...taskExample, kind: 'manual', definitionId: null } })
  @ApiErrors({ 400: 'a task needs an assigneeId, a candidateGroupId or both', 404: 'user 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d not found' })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateTaskDto) {
    return this.tasks.create(user, dto);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One task of the company' })
  @ApiOkResponse({ type: TaskView, example: taskExample })
  @ApiErrors({ 400: '"abc" is not a valid id (ids are UUIDs)', 404: notFound })
  get(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string) {
    return this.tasks.get(user, id);
  }

  @Post(':id/complete')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({ summary: 'Completes an open task (its assignee, the member who claimed it, or an admin)' })
  @ApiOkResponse({ type: TaskView, example: { ...taskExample, status: 'completed', completedAt: '2026-12-02T15:00:00.000Z', completedBy: taskExample.assigneeId } })
  @ApiErrors({
    403: 'only the assignee of task 7d6c…, the member who claimed it or an admin may complete it',
    404: notFound,
    409: 'task 7d6c… is already completed',
  })
  complete(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string) {
    return this.tasks.complete(user, id);
  }

  @Post(':id/claim')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({ summary: 'Claims an open task of a candidate group (a member of the group, or an admin); of two claims at once one wins' })
  @ApiOkResponse({ type: TaskView, example: claimed })
  @ApiErrors({
    403: "only a member of the task's candidate group or an admin may claim task 7d6c…",
    404: notFound,
    409: 'task 7d6c… is already claimed by Sam (0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d) since 2026-12-02T15:00:00.000Z',
  })
  claim(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string) {
    return this.tasks.claim(user, id);
  }

  @Post(':id/unclaim')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({ summary: 'Gives a claimed task back to its candidate group (the member who claimed it, or an admin)' })
  @ApiOkResponse({ type: TaskView, example: groupTask })
  @ApiErrors({ 403: 'only the member who claimed task 7d6c… or an admin may unclaim it', 404: notFound, 409: 'task 7d6c… is not claimed' })
  unclaim(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string) {
    return this.tasks.unclaim(user, id);
  }

  @Post(':id/reassign')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({ summary: 'Gives an open task to another active user of the company (an admin, or its assignee or claimer); releases any claim' })
  @ApiOkResponse({ type: TaskView, example: { ...groupTask, assigneeId: taskExample.assigneeId } })
  @ApiErrors({
    400: 'assigneeId must be an id (a UUID)',
    403: 'only the assignee of task 7d6c…, the member who claimed it or an admin may reassign it',
    404: 'user 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d not found',
    409: 'user 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d is deactivated and cannot be given tasks',
  })
  reassign(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string, @Body() dto: ReassignTaskDto) {
    return this.tasks.reassign(user, id, dto);
  }

  @Post(':id/comments')
  @Idempotent()
  @ApiOperation({ summary: 'Adds a comment to a task of the company' })
  @ApiCreatedResponse({ type: TaskCommentView, example: taskCommentExample })
  @ApiErrors({ 400: 'body must not be empty', 404: notFound })
  comment(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string, @Body() dto: CreateTaskCommentDto) {
    return this.tasks.comment(user, id, dto);
  }

  @Get(':id/comments')
  @ApiOperation({ summary: "A task's comments, oldest first" })
  @ApiOkResponse({ type: PageOf(TaskCommentView), example: { data: [taskCommentExample], nextCursor: null } })
  @ApiErrors({ 400: 'cursor is not valid: pass the nextCursor of a previous page unchanged', 404: notFound })
  comments(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string, @Query() query: ListQueryDto) {
    return this.tasks.comments(user, id, query);
  }
}
