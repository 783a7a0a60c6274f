import { Module } from '@nestjs/common';
import { ReminderSchedulesService } from '../reminders/reminder-schedules.service';
import { RemindersModule } from '../reminders/reminders.module';
import { DEFINITION_LIFECYCLE } from './definition-lifecycle';
import { WorkflowPreviewService } from './workflow-preview.service';
import { WorkflowsController } from './workflows.controller';
import { WorkflowsService } from './workflows.service';

/** Definition changes reach Temporal Schedules through DEFINITION_LIFECYCLE, bound to the reminders' schedule service. */
@Module({
  imports: [RemindersModule],
  controllers: [WorkflowsController],
  providers: [WorkflowsService, WorkflowPreviewService, { provide: DEFINITION_LIFECYCLE, useExisting: ReminderSchedulesService }],
  exports: [WorkflowsService, DEFINITION_LIFECYCLE],
})
export class WorkflowsModule {}
