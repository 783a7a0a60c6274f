import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { ApiAuthenticated, ApiErrors } from '../common/api-docs';
import { IdPipe } from '../common/id-param.pipe';
import { Idempotent } from '../common/idempotency.interceptor';
import { PauseRemindersDto, ReminderPauseView } from './dto/reminder-pause.dto';
import { ReminderPausesService } from './reminder-pauses.service';

const notFound = 'invoice 5c9d2e7f-1a3b-4c8d-9e0f-6a7b8c9d0e12 not found';

@ApiTags('invoices')
@ApiAuthenticated()
@Controller('v1/invoices')
export class ReminderPausesController {
  constructor(private readonly pauses: ReminderPausesService) {}

  @Post(':id/pause-reminders')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({
    summary: "Pauses the invoice's customer reminders (dunning steps, due reminders), until a day or until resumed",
    description: 'Transactional emails (the invoice itself, payment receipts) still go. Pausing again replaces the pause.',
  })
  @ApiOkResponse({ type: ReminderPauseView })
  @ApiErrors({ 400: 'until (2026-12-01) must be after today (2026-12-02 in America/Toronto); omit it to pause until resumed', 404: notFound })
  pause(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string, @Body() dto: PauseRemindersDto): Promise<ReminderPauseView> {
    return this.pauses.pause(user, id, dto);
  }

  @Post(':id/resume-reminders')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({ summary: "Resumes the invoice's customer reminders; a sequence goes on from its next step due" })
  @ApiOkResponse({ type: ReminderPauseView })
  @ApiErrors({ 404: notFound })
  resume(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string): Promise<ReminderPauseView> {
    return this.pauses.resume(user, id);
  }

  @Get(':id/reminder-pause')
  @ApiOperation({ summary: "Whether the invoice's customer reminders are paused, until when and why" })
  @ApiOkResponse({ type: ReminderPauseView })
  @ApiErrors({ 404: notFound })
  get(@CurrentUser() user: AuthUser, @Param('id', IdPipe) id: string): Promise<ReminderPauseView> {
    return this.pauses.get(user, id);
  }
}
