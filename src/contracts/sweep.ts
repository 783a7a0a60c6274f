// What the reminder sweep workflow, its activities, the API's schedules and run-now, and the tests agree on.
import { defineQuery } from '@temporalio/workflow';

/** Templates that a sweep runs; `invoice-approval` is driven by its own workflow. */
export const SWEEP_TEMPLATE_KEYS = [
  'send-unsent-invoices', 'payment-received', 'payment-due-reminder', 'overdue-invoice-stamp',
  'unsent-invoice-reminder', 'bill-payment-reminder', 'bank-deposit-reminder', 'collection-sequence',
] as const;
export type SweepTemplateKey = (typeof SWEEP_TEMPLATE_KEYS)[number];

/** Templates fired by a Temporal Schedule (the others start from the API call that caused the event). */
export const SCHEDULED_TEMPLATE_KEYS: readonly string[] = SWEEP_TEMPLATE_KEYS.filter((k) => k !== 'payment-received');

export interface RunError {
  recordId?: string;
  message: string;
}

/** Where the next page starts: the keyset of the last record of the previous page. */
export interface SweepCursor {
  key: string | null;
  id: string;
}

export interface SweepTotals {
  matched: number;
  delivered: number;
  skipped: number;
  failed: number;
  pages: number;
  /** Time spent in the page queries (the "query phase"). */
  queryMs: number;
  errors: RunError[];
  /** Records whose customer emails wait for the send window now (they leave this count when they go). */
  deferred?: number;
}

export interface ReminderSweepInput {
  definitionId: string;
  companyId: string;
  /** `sweep` for scheduled and run-now sweeps, `event` for a record's event (a payment recorded). */
  kind?: 'sweep' | 'event';
  /** What started it: `schedule`, `run-now`, `payment-recorded`. */
  trigger?: string;
  /** Event runs: only these records. */
  recordIds?: string[];
  // Set by the first run and carried across continue-as-new:
  /** The instant "today" is evaluated at for the whole sweep, even one that runs past midnight. */
  asOf?: string;
  cursor?: SweepCursor | null;
  runRecordId?: string;
  totals?: SweepTotals;
  continuedAsNew?: number;
  pageSize?: number;
  batchSize?: number;
  pagesPerRun?: number;
}

export interface ReminderSweepResult extends SweepTotals {
  runRecordId: string | null;
  outcome: 'completed' | 'not-live' | 'definition-missing';
  continuedAsNew: number;
}

export type ReminderSweepWorkflow = (input: ReminderSweepInput) => Promise<ReminderSweepResult>;

/** Progress of the current run, for SREs and tests (`temporal workflow query`). */
export const sweepProgressQuery = defineQuery<SweepTotals & { continuedAsNew: number }>('sweepProgress');

export interface StartRunInput {
  definitionId: string;
  companyId: string;
  kind: 'sweep' | 'event';
  trigger: string;
}

export interface StartedRun {
  runRecordId: string;
  /** The instant the whole sweep evaluates "today" at, carried across continue-as-new. */
  asOf: string;
  /** Why the run delivers nothing (inactive definition, downgraded company, unknown template), or null. */
  notLive: string | null;
}

export interface FindMatchingPageInput {
  definitionId: string;
  companyId: string;
  asOf: string;
  cursor: SweepCursor | null;
  limit: number;
  recordIds?: string[];
}

export interface MatchingPage {
  ids: string[];
  nextCursor: SweepCursor | null;
  /** Time spent in the page's SQL statement. */
  queryMs: number;
  /** Set when the sweep must stop early (the definition was deactivated or deleted meanwhile). */
  stopped?: string;
}

export interface FinishRunInput {
  runRecordId: string;
  status: 'completed' | 'failed';
  matched: number;
  delivered: number;
  skipped: number;
  failed: number;
  errors: RunError[];
}

/** The counts of one workflow delivering a run's deliveries that waited for the send window, so far. */
export interface DeferredPartInput {
  runRecordId: string;
  /** The delivering workflow's id: one entry per part, replaced by each write. */
  part: string;
  /** Still waiting. */
  deferred: number;
  delivered: number;
  skipped: number;
  failed: number;
  errors: RunError[];
}

/**
 * What a sweep run hands over when some of its customer emails must wait for the send window: they are delivered at
 * each opening by a workflow of their own, so that the run ends (and the schedule's next firing is not skipped behind
 * it, its overlap policy being SKIP).
 */
export interface DeferredDeliveriesInput {
  definitionId: string;
  companyId: string;
  runRecordId: string;
  /** The run's instant: the step or the condition that made the delivery due is judged at it, as the run judged it. */
  asOf: string;
  waiting: DeferredDelivery[];
  batchSize?: number;
}

export interface DeferredDeliveriesResult {
  delivered: number;
  skipped: number;
  failed: number;
  /** Deliveries given up after too many openings (each is in `errors`). */
  gaveUp: number;
  errors: RunError[];
}

export type DeferredDeliveriesWorkflow = (input: DeferredDeliveriesInput) => Promise<DeferredDeliveriesResult>;

export interface DeliverBatchInput {
  runRecordId: string;
  definitionId: string;
  companyId: string;
  asOf: string;
  recordIds: string[];
}

/** Records of a batch held back because their customer's send window is closed: delivered again at `at`. */
export interface DeferredDelivery {
  recordId: string;
  /** When the window next opens for the record's customer (ISO instant). */
  at: string;
}

export interface DeliverBatchResult {
  /** Records of the batch that still matched when delivering (a record paid meanwhile is left alone). */
  stillMatching: number;
  /** Records not delivered now because the send window is closed (absent: none). */
  deferred?: DeferredDelivery[];
  delivered: number;
  skipped: number;
  failed: number;
  errors: RunError[];
}

export interface SweepActivities {
  /** Records the run once per Temporal run; null when the definition does not exist. */
  startRun(input: StartRunInput): Promise<StartedRun | null>;
  /** One page of matching record ids: a single indexed query, resuming after the cursor. */
  findMatchingPage(input: FindMatchingPageInput): Promise<MatchingPage>;
  finishRun(input: FinishRunInput): Promise<void>;
  /** The counts of a workflow delivering the run's deliveries that waited for the send window (runs after `deferred-apart`). */
  recordDeferredPart(input: DeferredPartInput): Promise<void>;
  /** Active definitions of an event template whose conditions the record meets. */
  findEventDefinitions(input: { companyId: string; templateKey: string; recordId: string }): Promise<string[]>;
}

export interface DeliveryActivities {
  /** Delivers every action of the definition to each record of the batch that still matches. */
  deliverBatch(input: DeliverBatchInput): Promise<DeliverBatchResult>;
}
