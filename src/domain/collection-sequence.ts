import { addDays, daysBetween } from './dates';
import type { GroupBy } from './statements';

/**
 * A dunning sequence (`collection-sequence`): ordered steps, each a number of days from the invoice's
 * due date. Which step an invoice gets today is decided here and only here; the sweep's SQL (src/db/sweep-plans.ts)
 * selects the same invoices, and test/integration/collection-sql-agreement.test.ts holds the two together.
 */

export const CATCH_UP_POLICIES = ['latest', 'none', 'all'] as const;
export type CatchUp = (typeof CATCH_UP_POLICIES)[number];

/** A step's task, for its assignee, or else for its candidate group's members to claim (at least one of the two). */
export interface SequenceTask {
  assigneeId?: string;
  candidateGroupId?: string;
  title: string;
  description: string;
}

export interface SequenceStep {
  /** Days from the due date (negative: before it). Strictly increasing along the sequence. */
  offsetDays: number;
  subject: string;
  body: string;
  task?: SequenceTask;
  attachInvoicePdf: boolean;
}

export interface Sequence {
  steps: SequenceStep[];
  /**
   * Steps whose day has passed without being sent (the sequence switched on late, a missed firing):
   * `latest` sends only the latest of them, `none` sends nothing but a step falling on today, `all` sends each of
   * them in order, one per day.
   */
  catchUp: CatchUp;
  /**
   * `customer`: one statement email per customer and run, listing each of its invoices that has a step due (each
   * invoice's step still counted once); null or absent (sequences saved before it): one email per invoice.
   */
  groupBy?: GroupBy | null;
}

export interface StepSituation {
  /** The invoice's due date, YYYY-MM-DD. */
  dueDate: string;
  /** Today in the company's timezone, YYYY-MM-DD. */
  today: string;
  /** Index of the last step delivered to this invoice by this definition, or -1 when none. */
  lastStep: number;
}

/** The day a step falls on for an invoice due on `dueDate`. */
export function stepDay(step: Pick<SequenceStep, 'offsetDays'>, dueDate: string): string {
  return addDays(dueDate, step.offsetDays);
}

/**
 * The index of the step the invoice gets today, or null. A step is sent at most once and never before a later one:
 * only steps after `lastStep` are candidates, and only those whose day is today or past.
 */
export function selectStep(sequence: Pick<Sequence, 'catchUp'> & { steps: ReadonlyArray<Pick<SequenceStep, 'offsetDays'>> }, s: StepSituation): number | null {
  const elapsed = daysBetween(s.dueDate, s.today);
  // Steps whose day has come: offsets increase, so they are a prefix of the sequence.
  let reached = 0;
  while (reached < sequence.steps.length && sequence.steps[reached].offsetDays <= elapsed) reached += 1;
  const latest = reached - 1;
  if (latest <= s.lastStep) return null;
  switch (sequence.catchUp) {
    case 'latest':
      return latest;
    case 'all':
      return s.lastStep + 1;
    case 'none':
      return sequence.steps[latest].offsetDays === elapsed ? latest : null;
  }
}

/** The due dates of invoices that may have a step today (for `none`, exactly these; otherwise every date up to the last). */
export function dueDatesWithStepToday(sequence: { steps: ReadonlyArray<Pick<SequenceStep, 'offsetDays'>> }, today: string): string[] {
  return sequence.steps.map((step) => addDays(today, -step.offsetDays));
}

/** The latest due date an invoice may have and still have reached a step today. */
export function latestDueDateReached(sequence: { steps: ReadonlyArray<Pick<SequenceStep, 'offsetDays'>> }, today: string): string {
  return addDays(today, -sequence.steps[0].offsetDays);
}

/** The occurrence of a step in delivery keys: one delivery per invoice and step, whatever its due date becomes. */
export function stepOccurrence(index: number): string {
  return `step-${index + 1}`;
}

/**
 * Why `after` cannot replace `before` once invoices reached step `reached` (0-based; -1: none), or null. An invoice's
 * progress and its deliveries' keys are step positions: the steps already sent keep their place and day (their text
 * may change), and steps may be changed, added or removed after them.
 */
export function stepsChangeProblem(
  before: ReadonlyArray<Pick<SequenceStep, 'offsetDays'>>, after: ReadonlyArray<Pick<SequenceStep, 'offsetDays'>>, reached: number,
): string | null {
  const kept = Math.min(reached + 1, before.length);
  if (kept <= 0) return null;
  for (let i = 0; i < kept; i += 1) {
    if (after[i]?.offsetDays !== before[i].offsetDays) {
      return `step ${i + 1} (offsetDays ${before[i].offsetDays}) has gone out to invoices already: steps 1 to ${kept} keep their order ` +
        'and offsetDays (their texts may change; steps after them may be added, changed or removed); for another order, create a new sequence';
    }
  }
  return null;
}
