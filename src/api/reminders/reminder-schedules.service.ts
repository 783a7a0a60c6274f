import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../../domain/errors';
import type { Config } from '../../config';
import { CONFIG } from '../config/config.module';
import { TemporalClient } from '../temporal/temporal.module';
import type { DefinitionLifecycle, LifecycleContext } from '../workflows/definition-lifecycle';
import type { ScheduledDefinition } from '../../db/reminder-definitions.repository';
import { ReminderScheduler } from '../../infra/reminder-scheduler';

/**
 * The real definition lifecycle (bound to the token of src/api/workflows/definition-lifecycle.ts): each
 * scheduled definition owns the Temporal Schedule `reminder-<definitionId>`. Hooks take the definition as
 * saved by the caller, so they may run before its transaction commits.
 */
@Injectable()
export class ReminderSchedulesService implements DefinitionLifecycle {
  private readonly logger = new Logger(ReminderSchedulesService.name);
  readonly scheduler: ReminderScheduler;

  constructor(temporal: TemporalClient, @InjectDataSource() dataSource: DataSource, @Inject(CONFIG) config: Pick<Config, 'scheduleJitterSeconds'>) {
    this.scheduler = new ReminderScheduler(temporal, temporal.taskQueueName, dataSource, { jitterSeconds: config.scheduleJitterSeconds });
  }

  onActivated(def: ScheduledDefinition, context?: Pick<LifecycleContext, 'manager'>): Promise<void> {
    return this.apply(def, () => this.scheduler.sync(def, context?.manager));
  }

  onUpdated(def: ScheduledDefinition, context?: Pick<LifecycleContext, 'manager'>): Promise<void> {
    return this.apply(def, () => this.scheduler.sync(def, context?.manager));
  }

  onDeactivated(def: ScheduledDefinition, context?: Pick<LifecycleContext, 'manager'>): Promise<void> {
    return this.apply(def, () => this.scheduler.sync({ ...def, status: def.status === 'active' ? 'inactive' : def.status }, context?.manager));
  }

  onDeleted(def: ScheduledDefinition): Promise<void> {
    return this.apply(def, () => this.scheduler.remove(def.id));
  }

  /** Called after a downgrade to essentials: every schedule of the company stops firing. */
  async pauseAllForCompany(companyId: string): Promise<void> {
    try {
      await this.scheduler.pauseAllForCompany(companyId);
    } catch (err) {
      this.logger.error(`pausing the schedules of company ${companyId} failed; a worker start will repair it: ${(err as Error).message}`);
    }
  }

  private async apply(def: ScheduledDefinition, change: () => Promise<unknown>): Promise<void> {
    try {
      await change();
    } catch (err) {
      this.logger.error(`schedule of definition ${def.id}: ${(err as Error).message}`);
      throw new DomainError(503,
        `the schedule of the definition could not be updated in Temporal (${(err as Error).message}); ` +
        'nothing was changed: retry the request');
    }
  }
}
