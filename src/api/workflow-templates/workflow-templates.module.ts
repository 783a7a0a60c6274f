import { Module } from '@nestjs/common';
import { WorkflowTemplatesController } from './workflow-templates.controller';

@Module({ controllers: [WorkflowTemplatesController] })
export class WorkflowTemplatesModule {}
