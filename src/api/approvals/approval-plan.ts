import { type ApprovalDelegation, type ApprovalStepInput, eligibleFor } from '../../contracts';

export const DEFAULT_TIMEOUT_DAYS = 30;
const DAY_MS = 86_400_000;
export const DEFAULT_REMINDER_DAYS_BEFORE = 1;

/** What an `invoice-approval` definition asks of one submission: who decides, who hears about it, how long it waits. */
export interface ApprovalPlan {
  steps: ApprovalStepInput[];
  allowAdmins: boolean;
  timeoutDays: number;
  /** 0: no reminder. A reminder that would fall before the submission is skipped by the workflow. */
  reminderDaysBefore: number;
  notifyUserIds: string[];
  push: boolean;
}

export class ApprovalPlanError extends Error {}

type Action = Record<string, unknown> & { type?: unknown };

function ids(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new ApprovalPlanError(`${where} must be a list of user ids`);
  }
  return [...new Set(value as string[])];
}

function days(value: unknown, where: string, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new ApprovalPlanError(`${where} must be a number of days ≥ 0`);
  return value;
}

/** A step's groups, routing, quorum and escalation, when set (checked when the definition was saved; read defensively here). */
function rules(raw: unknown, where: string): Omit<ApprovalStepInput, 'approverIds'> {
  const r = (raw ?? {}) as { groupIds?: unknown; routing?: unknown; required?: unknown; escalateAfterDays?: unknown; escalateToId?: unknown };
  const out: Omit<ApprovalStepInput, 'approverIds'> = {};
  if (r.groupIds !== undefined) {
    if (!Array.isArray(r.groupIds) || r.groupIds.some((v) => typeof v !== 'string')) throw new ApprovalPlanError(`${where} groupIds must be a list of group ids`);
    if (r.groupIds.length > 0) out.groupIds = [...new Set(r.groupIds as string[])];
  }
  if (r.routing !== undefined) {
    if (r.routing !== 'limit') throw new ApprovalPlanError(`${where} routing must be "limit"`);
    out.routing = 'limit';
  }
  if (r.required !== undefined) {
    if (typeof r.required !== 'number' || !Number.isInteger(r.required) || r.required < 1) throw new ApprovalPlanError(`${where} required must be a whole number ≥ 1`);
    out.required = r.required;
  }
  if (r.escalateToId !== undefined) {
    if (typeof r.escalateToId !== 'string') throw new ApprovalPlanError(`${where} escalateToId must be a user id`);
    const after = days(r.escalateAfterDays, `${where} escalateAfterDays`, 0);
    if (after <= 0) throw new ApprovalPlanError(`${where} escalateAfterDays must be more than 0`);
    Object.assign(out, { escalateAfterDays: after, escalateToId: r.escalateToId });
  }
  return out;
}

/**
 * Reads the approval plan out of a definition's actions: an `approval` action with `approverIds` or
 * `steps`, `notify.userIds`, `timeoutDays` (default 30), `allowAdmins`, `reminderDaysBefore` (default 1); team members
 * of `email` and `push` actions are notified too, and a `push` action turns in-app notifications on.
 */
export function approvalPlan(actions: unknown[]): ApprovalPlan {
  const list = (Array.isArray(actions) ? actions : []) as Action[];
  const approval = list.find((a) => a?.type === 'approval');
  if (!approval) throw new ApprovalPlanError('the definition has no approval action');

  const steps: ApprovalStepInput[] = approval.steps !== undefined
    ? (Array.isArray(approval.steps) ? approval.steps : [null]).map((s: unknown, i: number) => ({
      approverIds: ids((s as { approverIds?: unknown } | null)?.approverIds, `approval step ${i + 1} approverIds`),
      ...rules(s, `approval step ${i + 1}`),
    }))
    : [{ approverIds: ids(approval.approverIds, 'approval approverIds'), ...rules(approval, 'approval') }];
  if (steps.length === 0 || steps.some((s) => s.approverIds.length === 0 && !s.groupIds)) {
    throw new ApprovalPlanError('every approval step needs at least one approver or approver group');
  }
  const timeoutDays = days(approval.timeoutDays, 'approval timeoutDays', DEFAULT_TIMEOUT_DAYS);
  if (timeoutDays === 0) throw new ApprovalPlanError('approval timeoutDays must be more than 0');

  const notify = new Set<string>(ids((approval.notify as { userIds?: unknown } | undefined)?.userIds ?? [], 'approval notify.userIds'));
  let push = false;
  for (const action of list) {
    if (action?.type === 'email' && action.to && typeof action.to === 'object') {
      for (const id of ids((action.to as { userIds?: unknown }).userIds ?? [], 'email to.userIds')) notify.add(id);
    }
    if (action?.type === 'push') {
      push = true;
      for (const id of ids(action.userIds ?? [], 'push userIds')) notify.add(id);
    }
  }
  return {
    steps,
    allowAdmins: approval.allowAdmins === true,
    timeoutDays,
    reminderDaysBefore: days(approval.reminderDaysBefore, 'approval reminderDaysBefore', DEFAULT_REMINDER_DAYS_BEFORE),
    notifyUserIds: [...notify],
    push,
  };
}

/** A step that can never reach its quorum: which one (from 0), what it needs, and how many people could approve it. */
export interface UnreachableStep {
  step: number;
  required: number;
  people: number;
}

/**
 * The first step whose distinct people who could approve it number fewer than its `required`, or undefined. The
 * creator never counts (no self-approval); one person counts once, so a seat held through a delegation that lasts
 * past `deadline` counts as its delegate (who may hold a seat of their own); the escalation user counts when the
 * escalation falls before the deadline. A step naming groups is left to when it opens: its members are read then.
 */
export function unreachableStep(
  steps: ApprovalStepInput[], creatorId: string, delegations: ApprovalDelegation[], now: Date, deadline: Date,
): UnreachableStep | undefined {
  const lasting = new Map(delegations
    .filter((d) => Date.parse(d.from) <= now.getTime() && Date.parse(d.until) >= deadline.getTime())
    .map((d) => [d.delegatorId, d.delegateId]));
  for (const [i, s] of steps.entries()) {
    if (s.groupIds?.length) continue;
    // The escalation user joins only if the escalation falls before the deadline.
    const escalates = s.escalateToId !== undefined && (s.escalateAfterDays ?? 0) * DAY_MS < deadline.getTime() - now.getTime();
    const seats = [...new Set([...s.approverIds, ...(escalates ? [s.escalateToId!] : [])])];
    const people = new Set(eligibleFor(seats, creatorId, lasting).map((e) => e.userId)).size;
    const required = s.required ?? 1;
    if (people < required) return { step: i, required, people };
  }
  return undefined;
}
