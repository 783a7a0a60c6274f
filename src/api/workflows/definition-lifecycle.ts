import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { WorkflowDefinition } from '../../db/entities';

export interface LifecycleContext {
  /** The transaction the change runs in: a hook that throws rolls the change back. */
  manager: EntityManager;
  company: { id: string; timezone: string; locale: string; plan: string };
}

/**
 * What happens outside the database when a definition changes (the reminders bind it to Temporal Schedules).
 * Each hook runs inside the transaction of the change, after the row is written.
 */
export interface DefinitionLifecycle {
  onActivated(definition: WorkflowDefinition, context: LifecycleContext): Promise<void>;
  onDeactivated(definition: WorkflowDefinition, context: LifecycleContext): Promise<void>;
  /** Any saved change of name, conditions, actions or schedule, whatever the status. */
  onUpdated(definition: WorkflowDefinition, context: LifecycleContext): Promise<void>;
  /** The definition as it was before it was deleted. */
  onDeleted(definition: WorkflowDefinition, context: LifecycleContext): Promise<void>;
}

export const DEFINITION_LIFECYCLE = Symbol('DefinitionLifecycle');

@Injectable()
export class NoopDefinitionLifecycle implements DefinitionLifecycle {
  async onActivated(): Promise<void> {}
  async onDeactivated(): Promise<void> {}
  async onUpdated(): Promise<void> {}
  async onDeleted(): Promise<void> {}
}
