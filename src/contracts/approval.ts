// What the invoice approval workflow, its activities, the API and the tests agree on.
import type { Duration } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

export const DEFAULT_APPROVAL_TIMEOUT: Duration = '30 days';
export const DEFAULT_APPROVER_REMINDER_LEAD: Duration = '1 day';

/** What an approval decides on: an invoice (before it is sent) or a vendor bill (before it is paid). */
export type ApprovalDocumentKind = 'invoice' | 'bill';

export interface ApprovalDocument {
  kind: ApprovalDocumentKind;
  id: string;
  /** The invoice's number, or the bill's (its id when it has none): what people read in tasks, emails and the trail. */
  number: string;
  /** Decimal string in the company's currency: a step routed by limit asks those whose approval limit covers it. */
  amount: string;
}

/** `limit`: of the step's approvers and group members, only those whose approval limit covers the amount hold a seat. */
export type ApprovalRouting = 'limit';

export interface ApprovalStepInput {
  /** Named approvers; may be empty when the step names groups. */
  approverIds: string[];
  /** Approver groups whose members (as the group stands when the step opens) hold a seat each. */
  groupIds?: string[];
  routing?: ApprovalRouting;
  /** How many distinct approvers must approve the step (default 1); one rejection rejects it. */
  required?: number;
  /** With no decision of the step this many days after it opened, `escalateToId` joins its approvers. */
  escalateAfterDays?: number;
  escalateToId?: string;
}

/** An out-of-office delegation: between `from` and `until` the delegate receives the delegator's approval requests. */
export interface ApprovalDelegation {
  delegatorId: string;
  delegateId: string;
  from: string;
  until: string;
}

/** Sent by the API to the pending runs that may ask the delegator: a delegation set (or replaced), or ended (`null`). */
export interface DelegationChange {
  delegatorId: string;
  delegation: Omit<ApprovalDelegation, 'delegatorId'> | null;
}

/** Where a decision was taken: the REST API, or the page behind the link of an approval email. */
export type DecisionChannel = 'api' | 'email';

export interface InvoiceApprovalInput {
  approvalId: string;
  companyId: string;
  /** What is approved. Absent in runs started before bills had approvals: the invoice of `invoiceId`. */
  document?: ApprovalDocument;
  /** The invoice's (runs started before `document` carry only these); empty in a bill's run, whose `document` says which bill. */
  invoiceId: string;
  invoiceNumber: string;
  /** The version of the definition the run started with; absent before definitions had versions. */
  definitionVersion?: number;
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
  /** The delegations, active or to come, of the people the run may ask, as the API knew them at submission. */
  delegations?: ApprovalDelegation[];
  /** The definition's approval request, rendered by the API; a plain default when absent. */
  requestMessage?: { subject: string; text: string };
}

/** What a caller says when deciding; `isAdmin` is established by the API from the caller's key. */
export interface DecisionInput {
  userId: string;
  isAdmin: boolean;
  comment?: string;
  reason?: string;
  /** Default `api`. */
  via?: DecisionChannel;
  /**
   * The step the decision was made for (an email link's step): refused once the run is at another step, so that a
   * link issued for one step never decides the next. Absent: whichever step is pending (the REST routes).
   */
  step?: number;
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
  /**
   * `escalated`: the step's escalation user joined its approvers (userId), nothing was decided. `seat_lost`: the user
   * no longer holds a seat of the waiting step (`comment` says why: a `SeatLossReason`).
   */
  decision: 'approved' | 'rejected' | 'timeout' | 'cancelled' | 'escalated' | 'seat_lost';
  /** Who acted (the delegate, when one decided). */
  userId: string | null;
  comment: string | null;
  decidedAt: string;
  /** The approver a delegate decided for; absent or null when people decide for themselves. */
  onBehalfOf?: string | null;
  via?: DecisionChannel | null;
  /** False for an approval that left the step short of its quorum (and for `escalated`): the step stays open. */
  closesStep?: boolean;
}

/** Who may decide the pending step now: `userId`, for themselves or for `onBehalfOf` (a delegator). */
export interface EligibleApprover {
  userId: string;
  onBehalfOf: string | null;
}

export interface IgnoredDecision {
  userId: string;
  decision: Decision;
  why: 'not_an_approver' | 'not_pending' | 'self_approval' | 'already_approved' | 'stale_step';
  at: string;
}

export interface ApprovalState {
  approvalId: string;
  /** The version of the definition the run started with (from its input, never re-read); null in runs started before versions. */
  definitionVersion?: number | null;
  status: ApprovalRunStatus;
  currentStep: number;
  steps: ApprovalStepInput[];
  deadline: string;
  reminded: boolean;
  trail: ApprovalTrailEntry[];
  /** The last few decisions that were refused (non-approver, late, duplicate): kept for the SRE, never applied. */
  ignored: IgnoredDecision[];
  /** Of the pending step: who may decide it now (after delegation and escalation), and who approved it so far. */
  eligible?: EligibleApprover[];
  approvedBy?: string[];
  escalated?: string[];
  /** The delegations in force now, delegator → delegate. */
  delegated?: Record<string, string>;
}

export interface InvoiceApprovalOutput {
  approvalId: string;
  status: Exclude<ApprovalRunStatus, 'pending'>;
  trail: ApprovalTrailEntry[];
  /** As in ApprovalState. */
  definitionVersion?: number | null;
}

export type InvoiceApprovalWorkflow = (input: InvoiceApprovalInput) => Promise<InvoiceApprovalOutput>;

export const approveSignal = defineSignal<[DecisionInput]>('approve');
export const rejectSignal = defineSignal<[DecisionInput]>('reject');
/** Sent by the API when a pending invoice is edited: the run ends and the invoice goes back to the creator. */
export const cancelSignal = defineSignal<[CancelInput]>('cancel');
/** Why a seat of a waiting step was taken from its holder; read when the step opened, changed since. */
export type SeatLossReason = 'removed_from_group' | 'limit_lowered' | 'deactivated';

/** Sent by the API to the pending runs where `userId` may hold a seat through a group or a limit, after the change committed. */
export interface SeatLoss {
  userId: string;
  reason: SeatLossReason;
  /** The group the user left (`removed_from_group`). */
  groupId?: string;
}

export const seatLostSignal = defineSignal<[SeatLoss]>('seatLost');

/** A decision with a validator in front: refused decisions never reach history, accepted ones answer the new state. */
export const decideUpdate = defineUpdate<ApprovalState, [DecideInput]>('decide');
/** A delegation of a person the run may ask was set, replaced or ended. */
export const delegationSignal = defineSignal<[DelegationChange]>('delegation');
export const approvalStateQuery = defineQuery<ApprovalState>('approvalState');

/** The `type` of the ApplicationFailure a refused `decide` Update carries; the API maps them to 403/409/400. */
export const DecisionRefusal = {
  notAnApprover: 'NotAnApprover',
  notPending: 'NotPending',
  reasonRequired: 'ReasonRequired',
  /** The invoice's creator never decides it (four eyes), even when listed, admin or delegate. */
  selfApproval: 'SelfApproval',
  /** The user already approved the pending step (quorum counts distinct approvers). */
  alreadyApproved: 'AlreadyApproved',
  /** The decision names a step that is no longer the pending one (an email link of an earlier step). */
  staleStep: 'StaleStep',
} as const;

/** What every approval activity is told: which approval, of which document, of which company. */
export interface ApprovalNotice {
  approvalId: string;
  companyId: string;
  /** Absent from the activities of runs that workers before bills had approvals scheduled: the invoice of `invoiceId`. */
  document?: ApprovalDocument;
  invoiceId?: string;
  invoiceNumber?: string;
}

/**
 * What a run or an activity approves: `document`, or, for those begun before bills had approvals, the invoice they
 * name (its amount unknown to them: empty).
 */
export function documentOf(x: { document?: ApprovalDocument; invoiceId?: string; invoiceNumber?: string }): ApprovalDocument {
  if (x.document) return x.document;
  return { kind: 'invoice', id: x.invoiceId ?? '', number: x.invoiceNumber ?? '', amount: '' };
}

/** How people read a document in messages: "invoice INV-1042", "bill B-77". */
export function documentName(d: Pick<ApprovalDocument, 'kind' | 'number'>): string {
  return `${d.kind} ${d.number}`;
}

export interface MarkPendingInput extends ApprovalNotice {
  deadline: string;
}

export interface OpenApprovalTasksInput extends ApprovalNotice {
  step: number;
  approverIds: string[];
  /** One task per seat: who holds it, for whom. */
  seats: EligibleApprover[];
  dueAt: string;
}

export interface NotifyApprovalRequestedInput extends ApprovalNotice {
  step: number;
  stepCount: number;
  userIds: string[];
  /** Those of `userIds` who may decide: their email carries a link to decide from. */
  approverIds: string[];
  push: boolean;
  deadline: string;
  message?: { subject: string; text: string };
}

export interface RecordDecisionInput extends ApprovalNotice, ApprovalTrailEntry {
  nextStep: number | null;
}

/** The step's escalation: the trail's `escalated` entry, then a task and an email to whoever holds the escalation user's seat. */
export interface EscalateApprovalInput extends ApprovalNotice {
  step: number;
  stepCount: number;
  escalateToId: string;
  /** The escalation user, or their delegate. */
  holderId: string;
  push: boolean;
  deadline: string;
  escalatedAt: string;
  /** Several escalation users at once (a step short of its quorum): used instead of `escalateToId` and `holderId`. */
  seats?: { escalateToId: string; holderId: string }[];
  /** Why (the trail entries' comment, e.g. `quorum_unreachable`); absent: the step's `escalateAfterDays` passed. */
  reason?: string;
  /** Counts the step's escalations (1 when absent), so that each has a webhook event of its own. */
  level?: number;
}

/** Approval requests of the pending step moved by a delegation starting (`fromId` the delegator) or ending (back to them). */
export interface MoveApprovalRequestsInput extends ApprovalNotice {
  step: number;
  stepCount: number;
  /** Counts the moves of the run, so that each move's tasks and emails have keys of their own. */
  move: number;
  moves: { seatId: string; fromId: string; toId: string }[];
  /** Who holds a seat of the step after the moves: a former holder who holds none keeps no link that decides it. */
  holderIds?: string[];
  push: boolean;
  deadline: string;
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
  seats: EligibleApprover[];
  deadline: string;
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
  /**
   * The decision that ends the approval and its outcome together: `recordDecision` then `completeApproval` in one
   * statement. Optional: parts without it (test doubles) get the two in turn.
   */
  recordOutcome?(input: Required<SettleApprovalInput>): Promise<{ applied: boolean }>;
  /** The outcome's emails and pushes to the creator and the people to notify, then the run's history row closes. */
  notifyApprovalOutcome(input: CompleteApprovalInput): Promise<{ notified: number }>;
  cancelApproval(input: CancelApprovalInput): Promise<void>;
  escalateApproval(input: EscalateApprovalInput): Promise<{ notified: number }>;
  moveApprovalRequests(input: MoveApprovalRequestsInput): Promise<{ moved: number }>;
}

/** What the workflow runs at its moments, composed from the steps above. */
export interface ApprovalActivities extends ApprovalStepActivities {
  /** The run's start (first step only), then the step's tasks: what must be durable before anyone is asked. */
  openApprovalStep(input: OpenApprovalStepInput): Promise<{ opened: number }>;
  /** The step's decision, then, when it ends the approval, the outcome: what must be durable before the decision answers. */
  settleDecision(input: SettleApprovalInput): Promise<{ applied: boolean }>;
}

/** Who holds the seats of a step that names groups or routes by limit, read from the database when the step opens. */
export interface ResolveApprovalSeatsInput extends ApprovalNotice {
  step: number;
  approverIds: string[];
  groupIds: string[];
  routing?: ApprovalRouting;
  /** The document's amount (decimal string), for `routing: "limit"`. */
  amount: string;
  /** Never given a seat (no self-approval). */
  creatorId: string;
}

export interface ResolvedApprovalSeats {
  /** Active users of the company: the named approvers, then the groups' members; filtered by limit under `limit`. */
  seatIds: string[];
  /** The company's active admins, for a step that can no longer reach its quorum and has no `escalateToId`. */
  adminIds: string[];
}
