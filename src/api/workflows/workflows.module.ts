import { Module } from '@nestjs/common';
import { DEFINITION_LIFECYCLE, NoopDefinitionLifecycle } from './definition-lifecycle';
import { WorkflowPreviewService } from './workflow-preview.service';
import { WorkflowsController } from './workflows.controller';
import { WorkflowsService } from './workflows.service';

/** The reminders bind DEFINITION_LIFECYCLE to their Temporal Schedule service in place of the no-op. */
@Module({
  controllers: [WorkflowsController],
  providers: [WorkflowsService, WorkflowPreviewService, { provide: DEFINITION_LIFECYCLE, useClass: NoopDefinitionLifecycle }],
  exports: [WorkflowsService, DEFINITION_LIFECYCLE],
})
export class WorkflowsModule {}
