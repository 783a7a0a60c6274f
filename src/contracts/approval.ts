// What the invoice approval workflow, its activities, the API and the tests agree on.
import type { Duration } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

export const DEFAULT_APPROVAL_TIMEOUT: Duration = '30 days';
export const DEFAULT_APPROVER_REMINDER_LEAD: Duration = '1 day';

export interface ApprovalStepInput {
  approverIds: string[];
}

export interface InvoiceApprovalInput {
  approvalId: string;
  companyId: string;
  invoiceId: string;
  invoiceNumber: string;
  submission: number;
  creatorId: string;
  /** Sequential: step n+1 opens once step n is approved; any one approver of a step decides it. */
  steps: ApprovalStepInput[];
  /** Admins of the company may decide any step in place of the listed approvers. */
  allowAdmins: boolean;
  /** From the workflow's start; with no decision by then the invoice is rejected. Default 30 days. */
  timeout?: Duration;
  /** How long before the deadline the pending step's approvers are reminded. Default 1 day; 0 disables. */
  reminderLead?: Duration;
  /** Told when the invoice is submitted (with the first step's approvers) and when it is decided (with the creator). */
  notifyUserIds: string[];
  /** Also push an in-app notification, next to the email. */
  push: boolean;
  /** The definition's approval request, rendered by the API; a plain default when absent. */
  requestMessage?: { subject: string; text: string };
}

/** What a caller says when deciding; `isAdmin` is established by the API from the caller's key. */
export interface DecisionInput {
  userId: string;
  isAdmin: boolean;
  comment?: string;
  reason?: string;
}

export type Decision = 'approve' | 'reject';

export interface DecideInput extends DecisionInput {
  decision: Decision;
}

export interface CancelInput {
  userId?: string;
  reason?: string;
}

export type ApprovalRunStatus = 'pending' | 'approved' | 'rejected' | 'cancelled';

export interface ApprovalTrailEntry {
  step: number;
  decision: 'approved' | 'rejected' | 'timeout' | 'cancelled';
  userId: string | null;
  comment: string | null;
  decidedAt: string;
}

export interface IgnoredDecision {
  userId: string;
  decision: Decision;
  why: 'not_an_approver' | 'not_pending';
  at: string;
}

export interface ApprovalState {
  approvalId: string;
  status: ApprovalRunStatus;
  currentStep: number;
  steps: ApprovalStepInput[];
  deadline: string;
  reminded: boolean;
  trail: ApprovalTrailEntry[];
  /** The last few decisions that were refused (non-approver, late, duplicate): kept for the SRE, never applied. */
  ignored: IgnoredDecision[];
}

export interface InvoiceApprovalOutput {
  approvalId: string;
  status: Exclude<ApprovalRunStatus, 'pending'>;
  trail: ApprovalTrailEntry[];
}

export type InvoiceApprovalWorkflow = (input: InvoiceApprovalInput) => Promise<InvoiceApprovalOutput>;

export const approveSignal = defineSignal<[DecisionInput]>('approve');
export const rejectSignal = defineSignal<[DecisionInput]>('reject');
/** Sent by the API when a pending invoice is edited: the run ends and the invoice goes back to the creator. */
export const cancelSignal = defineSignal<[CancelInput]>('cancel');
/** A decision with a validator in front: refused decisions never reach history, accepted ones answer the new state. */
export const decideUpdate = defineUpdate<ApprovalState, [DecideInput]>('decide');
export const approvalStateQuery = defineQuery<ApprovalState>('approvalState');

/** The `type` of the ApplicationFailure a refused `decide` Update carries; the API maps them to 403/409/400. */
export const DecisionRefusal = {
  notAnApprover: 'NotAnApprover',
  notPending: 'NotPending',
  reasonRequired: 'ReasonRequired',
} as const;

/** What every approval activity is told: which approval, of which invoice, of which company. */
export interface ApprovalNotice {
  approvalId: string;
  companyId: string;
  invoiceId: string;
  invoiceNumber: string;
}

export interface MarkPendingInput extends ApprovalNotice {
  deadline: string;
}

export interface OpenApprovalTasksInput extends ApprovalNotice {
  step: number;
  approverIds: string[];
  dueAt: string;
}

export interface NotifyApprovalRequestedInput extends ApprovalNotice {
  step: number;
  stepCount: number;
  userIds: string[];
  push: boolean;
  deadline: string;
  message?: { subject: string; text: string };
}

export interface RecordDecisionInput extends ApprovalNotice, ApprovalTrailEntry {
  nextStep: number | null;
}

export interface RemindApproversInput extends ApprovalNotice {
  step: number;
  approverIds: string[];
  push: boolean;
  deadline: string;
}

export interface CompleteApprovalInput extends ApprovalNotice {
  creatorId: string;
  outcome: 'approved' | 'rejected';
  decision: ApprovalTrailEntry['decision'];
  decidedBy: string | null;
  comment: string | null;
  notifyUserIds: string[];
  push: boolean;
}

export type CancelApprovalInput = ApprovalNotice & ApprovalTrailEntry;

export interface OpenApprovalStepInput extends ApprovalNotice {
  first: boolean;
  step: number;
  approverIds: string[];
  deadline: string;
}

/** The run's start (first step only), then the step's tasks and its request to approvers and people to notify. */
export interface RequestApprovalInput extends NotifyApprovalRequestedInput {
  first: boolean;
  approverIds: string[];
}

export interface SettleApprovalInput {
  decision: RecordDecisionInput;
  /** Set when the decision ends the approval. */
  completion?: CompleteApprovalInput;
}

/**
 * The side effects of an approval run, one activity each. Every one is safe to retry: what it writes carries keys
 * the database keeps unique, and status changes are guarded by the state they move from.
 */
export interface ApprovalStepActivities {
  markPending(input: MarkPendingInput): Promise<void>;
  openApprovalTasks(input: OpenApprovalTasksInput): Promise<{ opened: number }>;
  notifyApprovalRequested(input: NotifyApprovalRequestedInput): Promise<{ notified: number }>;
  recordDecision(input: RecordDecisionInput): Promise<void>;
  remindApprovers(input: RemindApproversInput): Promise<{ reminded: number }>;
  /** The outcome, durably; `applied: false` when the API cancelled the approval first (the invoice was edited). */
  completeApproval(input: CompleteApprovalInput): Promise<{ applied: boolean }>;
  /** The outcome's emails and pushes to the creator and the people to notify, then the run's history row closes. */
  notifyApprovalOutcome(input: CompleteApprovalInput): Promise<{ notified: number }>;
  cancelApproval(input: CancelApprovalInput): Promise<void>;
}

/** What the workflow runs at its moments, composed from the steps above. */
export interface ApprovalActivities extends ApprovalStepActivities {
  /** The run's start (first step only), then the step's tasks: what must be durable before anyone is asked. */
  openApprovalStep(input: OpenApprovalStepInput): Promise<{ opened: number }>;
  /** The step's decision, then, when it ends the approval, the outcome: what must be durable before the decision answers. */
  settleDecision(input: SettleApprovalInput): Promise<{ applied: boolean }>;
  /** Runs recorded before the `request-notices-in-activity` patch: openApprovalStep and the request's notices in one. */
  requestApproval(input: RequestApprovalInput): Promise<{ opened: number; notified: number }>;
  /** Runs recorded before the `notify-after-decision` patch: settleDecision and the outcome's notices in one. */
  settleApproval(input: SettleApprovalInput): Promise<{ applied: boolean }>;
}
