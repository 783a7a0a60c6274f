// The contracts between workflows, activities, API and worker: the one module each of them imports from the others.
import type { ApprovalActivities } from './approval';
import type { ApprovalSeatActivities } from './approval-seats';
import type { DiagnosticsActivities } from './diagnostics';
import type { DeliveryActivities, SweepActivities } from './sweep';
import type { WebhookActivities } from './webhook';

export * from './approval';
export * from './approval-seats';
export * from './diagnostics';
export * from './payment';
export * from './sweep';
export * from './temporal';
export * from './webhook';

/** Every activity the worker registers, as workflows proxy them. */
export interface Activities extends ApprovalActivities, ApprovalSeatActivities, SweepActivities, DeliveryActivities, DiagnosticsActivities, WebhookActivities {}
