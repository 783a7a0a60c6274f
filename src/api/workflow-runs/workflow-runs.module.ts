import { Module } from '@nestjs/common';
import { WorkflowRunsController } from './workflow-runs.controller';
import { WorkflowRunsService } from './workflow-runs.service';

@Module({ controllers: [WorkflowRunsController], providers: [WorkflowRunsService] })
export class WorkflowRunsModule {}
