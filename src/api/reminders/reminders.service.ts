import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { WorkflowDefinitionsRepository } from '../../db/workflow-definitions.repository';
import { type ReminderSweepWorkflow, workflowIds, workflowTypes } from '../../contracts';
import { AuthUser } from '../auth/current-user.decorator';
import { DomainError } from '../../domain/errors';
import { TemporalClient } from '../temporal/temporal.module';
import { isScheduledTemplate, sweepAction } from '../../infra/reminder-scheduler';

@Injectable()
export class RemindersService {
  constructor(private readonly temporal: TemporalClient, @InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Starts the sweep directly (same arguments, search attributes and summary as a scheduled firing) rather than
   * triggering the schedule, so that the caller gets the workflow id and overlapping runs really overlap.
   */
  async runNow(user: AuthUser, id: string) {
    const def = await new WorkflowDefinitionsRepository(this.dataSource).findOwned(user.companyId, id);
    if (!def) throw new NotFoundException(`workflow ${id} not found`);
    if (!isScheduledTemplate(def.templateKey)) {
      throw new DomainError(409, `workflow ${id} (${def.templateKey}) runs on its event, not on a schedule: it cannot be run now`);
    }
    if (user.company.plan !== 'advanced') throw new DomainError(409, 'workflows run only on the advanced plan');
    if (def.status !== 'active') throw new DomainError(409, `workflow ${id} is ${def.status}: activate it before running it`);
    const handle = await this.temporal.workflow.start<ReminderSweepWorkflow>(workflowTypes.reminderSweep, {
      taskQueue: this.temporal.taskQueueName,
      workflowId: workflowIds.reminderSweepRunNow(def.id, new Date()),
      ...sweepAction(def, user.company.name, 'run-now'),
    });
    return { definitionId: def.id, temporalWorkflowId: handle.workflowId, temporalRunId: handle.firstExecutionRunId };
  }
}
