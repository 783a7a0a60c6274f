import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { ApiAuthenticated, ApiErrors, PageOf } from '../common/api-docs';
import { IdPipe } from '../common/id-param.pipe';
import { CreateTaskDto, ListTasksQueryDto } from './dto/task.dto';
import { taskExample, TaskView } from './task.mapper';
import { TasksService } from './tasks.service';
import { Idempotent } from '../common/idempotency.interceptor';

const notFound = 'task 7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b4a not found';

@ApiTags('tasks')
@ApiAuthenticated()
@Controller('v1/tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @ApiOperation({ summary: 'Lists tasks (approval, reminder and manual), e.g. `?assignee=me&status=open`' })
  @ApiOkResponse({ type: PageOf(TaskView), example: { data: [taskExample], nextCursor: null } })
  @ApiErrors({ 400: 'assignee must be "me" or a user id (a UUID)' })
  list(@CurrentUser() user: AuthUser, @Query() query: ListTasksQueryDto) {
    return this.tasks.list(user, query);
  }

  @Post()
  @Idempotent()
  @ApiOperation({ summary: 'Creates a manual task for a user of the company, optionally about a record' })
  @ApiCreatedResponse({ type: TaskView, example: { ...taskExample, kind: 'manual', definitionId: null } })
  @ApiErrors({ 400: 'title must not be empty', 404: 'user 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d not found' })
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
  @ApiOperation({ summary: 'Completes an open task (its assignee or an admin)' })
  @ApiOkResponse({ type: TaskView, example: { ...taskExample, status: 'completed', completedAt: '2026-12-02T15:00:00.000Z', completedBy: taskExample.assigneeId } })
  @ApiErrors({
    403: 'only the assignee of task 7d6c… or an admin may complete it',
    404: notFound,
    409: 'task 7d6c… is already completed',
  })
  complete(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string) {
    return this.tasks.complete(user, id);
  }
}
