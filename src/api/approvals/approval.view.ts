import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { eligibleFor } from '../../contracts';
import type { ApprovalSeatHolder } from '../../db/approvals.repository';
import { APPROVAL_STATUSES, type Approval, type ApprovalDecision, type ApprovalStatus, type Invoice } from '../../db/entities';
import { dateTime, integer, nullable, text, uuid } from '../common/api-docs';

@ApiSchema({ name: 'ApprovalPerson' })
export class ApprovalPersonView {
  @ApiProperty(uuid) id!: string;
  @ApiProperty({ ...text, description: 'empty when the user no longer exists' }) name!: string;
}

@ApiSchema({ name: 'EligibleApprover' })
export class EligibleApproverView {
  @ApiProperty(uuid) id!: string;
  @ApiProperty(text) name!: string;
  @ApiProperty({ type: ApprovalPersonView, nullable: true, description: 'the approver this user decides for (a delegation); null for themselves' })
  onBehalfOf!: ApprovalPersonView | null;
}

@ApiSchema({ name: 'ApprovalStep' })
export class ApprovalStepView {
  @ApiProperty({ ...integer, minimum: 1, description: '1 for the first step' }) step!: number;
  @ApiProperty({ enum: ['waiting', 'pending', 'approved', 'rejected', 'timeout', 'cancelled'] }) status!: string;
  @ApiProperty({
    type: [ApprovalPersonView],
    description: 'the approvers the definition lists; for a step naming groups or routing by limit, once it opened, the seats the run resolved ' +
      '(the members, or those whose limit covers the amount, read when the step opened, less those who lost their seat since, with the escalated users)',
  })
  approvers!: ApprovalPersonView[];
  @ApiProperty({ type: Number, minimum: 1, description: 'distinct approvals the step needs' }) required!: number;
  @ApiProperty({ type: Number, minimum: 0, description: 'distinct people who approved the step so far' }) approvals!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'days after which escalateTo joins the approvers; null without escalation' })
  escalateAfterDays!: number | null;
  @ApiProperty({ type: ApprovalPersonView, nullable: true }) escalateTo!: ApprovalPersonView | null;
  @ApiProperty({ type: Boolean, description: 'whether escalateTo has joined the approvers' }) escalated!: boolean;
  @ApiProperty({
    type: [EligibleApproverView],
    description: 'who may decide the step now, after delegation and escalation, without the invoice creator and those who approved already; empty unless pending',
  })
  eligible!: EligibleApproverView[];
}

@ApiSchema({ name: 'ApprovalDecision' })
export class ApprovalDecisionView {
  @ApiProperty({ ...integer, minimum: 1 }) submission!: number;
  @ApiProperty({ ...integer, minimum: 1 }) step!: number;
  @ApiProperty({
    enum: ['approved', 'rejected', 'timeout', 'cancelled', 'escalated', 'seat_lost'],
    description: 'seat_lost: the person (by) no longer holds a seat of the waiting step (removed from its group, limit lowered, deactivated: the comment)',
  }) decision!: ApprovalDecision['decision'];
  @ApiProperty({
    type: ApprovalPersonView, nullable: true,
    description: 'null for a timeout; for escalated, who joined (null when nobody more could be asked); for seat_lost, who lost the seat',
  }) by!: ApprovalPersonView | null;
  @ApiProperty({ type: ApprovalPersonView, nullable: true, description: 'who acted: the same as by (kept beside it for clarity); null for a timeout' })
  decidedBy!: ApprovalPersonView | null;
  @ApiProperty({ type: ApprovalPersonView, nullable: true, description: 'the approver a delegate decided for; null otherwise' })
  onBehalfOf!: ApprovalPersonView | null;
  @ApiProperty({ type: String, enum: ['api', 'email'], nullable: true, description: 'where the decision was taken; null for timeout, cancel, escalation' })
  via!: 'api' | 'email' | null;
  @ApiProperty({ type: Boolean, description: 'false for an approval short of the quorum and for escalated: the step stayed open' }) closesStep!: boolean;
  @ApiProperty({ ...nullable(text), description: 'the approver comment or the rejection reason' }) comment!: string | null;
  @ApiProperty(dateTime) decidedAt!: string;
}

/** `GET /v1/invoices/:id/approval` (and a bill's), also the answer of submit, approve and reject. */
export class ApprovalView {
  @ApiProperty({ enum: ['invoice', 'bill'], description: 'what is approved' }) kind!: 'invoice' | 'bill';
  @ApiProperty({ ...nullable(uuid), description: 'the invoice approved; null for a bill' }) invoiceId!: string | null;
  @ApiProperty({ ...nullable(text), example: 'INV-1042', description: 'null for a bill' }) invoiceNumber!: string | null;
  @ApiProperty({ ...nullable(uuid), description: 'the bill approved; null for an invoice' }) billId!: string | null;
  @ApiProperty({ ...nullable(text), example: 'B-77', description: "the bill's number, or its id when it has none; null for an invoice" })
  billNumber!: string | null;
  @ApiProperty({ enum: APPROVAL_STATUSES, description: "the document's approvalStatus" })
  status!: ApprovalStatus;
  @ApiProperty({ ...nullable(uuid), description: 'the latest submission; null before the first' }) approvalId!: string | null;
  @ApiProperty({ ...nullable(integer), minimum: 1 }) submission!: number | null;
  @ApiProperty({ ...nullable(text), description: 'Temporal workflow id, invoice-approval-<invoiceId>-<n> or bill-approval-<billId>-<n>' })
  workflowId!: string | null;
  @ApiProperty(nullable(text)) runId!: string | null;
  @ApiProperty(nullable(uuid)) definitionId!: string | null;
  @ApiProperty({
    ...nullable(integer), minimum: 1,
    description: 'the version of the definition the latest submission runs under (an edit of the definition later does not change it); null before versions',
  })
  definitionVersion!: number | null;
  @ApiProperty({ ...nullable(integer), minimum: 1, description: 'the step waiting for a decision, 1 for the first; null when none is' }) currentStep!: number | null;
  @ApiProperty({ type: [ApprovalStepView] }) steps!: ApprovalStepView[];
  @ApiProperty({ type: [ApprovalPersonView], description: 'everyone who may decide a step of the latest submission' }) approvers!: ApprovalPersonView[];
  @ApiProperty({ type: Boolean }) allowAdmins!: boolean;
  @ApiProperty({ ...nullable(dateTime), description: 'after it, with no decision, the invoice is rejected' }) deadline!: string | null;
  @ApiProperty({ type: ApprovalPersonView, nullable: true }) submittedBy!: ApprovalPersonView | null;
  @ApiProperty(nullable(dateTime)) submittedAt!: string | null;
  @ApiProperty(nullable(dateTime)) decidedAt!: string | null;
  @ApiProperty({ type: [ApprovalDecisionView], description: 'every decision of every submission, oldest first' }) decisions!: ApprovalDecisionView[];
}

/** Keeps entities out of responses; steps and decisions are numbered from 1 for people, from 0 in the database. */
export function toApprovalView(
  invoice: Pick<Invoice, 'id' | 'number' | 'approvalStatus'> & { createdBy: string | null; kind?: 'invoice' | 'bill' },
  approval: Approval | null,
  decisions: (ApprovalDecision & { submission: number })[],
  names: Map<string, string>,
  delegated: Map<string, string> = new Map(),
  resolvedSeats: ApprovalSeatHolder[] = [],
): ApprovalView {
  const person = (id: string | null): ApprovalPersonView | null => (id ? { id, name: names.get(id) ?? '' } : null);
  const current = approval?.status === 'pending' ? approval.currentStep : null;
  const ownDecisions = decisions.filter((d) => approval && d.approvalId === approval.id);
  const steps = (approval?.steps ?? []).map((s, i): ApprovalStepView => {
    const entries = ownDecisions.filter((d) => d.step === i);
    const decided = entries.find((d) => d.closesStep !== false);
    let status: string = decided?.decision ?? (i === current ? 'pending' : 'waiting');
    if (!decided && approval && approval.status !== 'pending') status = 'cancelled';
    const approvedEntries = entries.filter((d) => d.decision === 'approved');
    const approvedSeats = new Set(approvedEntries.map((d) => d.onBehalfOf ?? d.userId));
    // The quorum counts people: one who approved for two seats (their own and a delegator's) counts once.
    const approvedPeople = new Set(approvedEntries.map((d) => d.userId));
    const escalated = entries.some((d) => d.decision === 'escalated');
    // A step naming groups or routing by limit has the seats its run read when it opened: their tasks say who holds them.
    const resolved = (s.groupIds?.length ?? 0) > 0 || s.routing === 'limit'
      ? resolvedSeats.filter((r) => r.step === i)
      : [];
    const seats = [...s.approverIds, ...(escalated && s.escalateToId ? [s.escalateToId] : [])];
    const holders = resolved.length > 0
      ? resolved.filter((r) => r.open && r.holderId !== invoice.createdBy).map((r) => ({ userId: r.holderId, onBehalfOf: r.seatId === r.holderId ? null : r.seatId }))
      : eligibleFor(seats, invoice.createdBy ?? '', delegated);
    const eligible = status === 'pending'
      ? holders
        .filter((e) => !approvedSeats.has(e.onBehalfOf ?? e.userId) && !approvedPeople.has(e.userId))
        .map((e) => ({ ...person(e.userId)!, onBehalfOf: person(e.onBehalfOf) }))
      : [];
    const approvers = resolved.length > 0 ? [...new Set(resolved.map((r) => r.seatId))] : s.approverIds;
    return {
      step: i + 1, status, approvers: approvers.map((id) => person(id)!),
      required: s.required ?? 1, approvals: approvedPeople.size,
      escalateAfterDays: s.escalateAfterDays ?? null, escalateTo: person(s.escalateToId ?? null), escalated, eligible,
    };
  });
  const approverIds = [...new Set(steps.flatMap((s) => s.approvers.map((p) => p.id)))];
  const bill = invoice.kind === 'bill';
  return {
    kind: bill ? 'bill' : 'invoice',
    invoiceId: bill ? null : invoice.id,
    invoiceNumber: bill ? null : invoice.number,
    billId: bill ? invoice.id : null,
    billNumber: bill ? invoice.number : null,
    status: invoice.approvalStatus,
    approvalId: approval?.id ?? null,
    submission: approval?.submission ?? null,
    workflowId: approval?.workflowId ?? null,
    runId: approval?.runId ?? null,
    definitionId: approval?.definitionId ?? null,
    definitionVersion: approval?.definitionVersion ?? null,
    currentStep: current === null ? null : current + 1,
    steps,
    approvers: approverIds.map((id) => person(id)!),
    allowAdmins: approval?.allowAdmins ?? false,
    deadline: approval?.deadline.toISOString() ?? null,
    submittedBy: person(approval?.submittedBy ?? null),
    submittedAt: approval?.createdAt.toISOString() ?? null,
    decidedAt: approval?.decidedAt?.toISOString() ?? null,
    decisions: decisions.map((d) => ({
      submission: d.submission,
      step: d.step + 1,
      decision: d.decision,
      by: person(d.userId),
      decidedBy: person(d.userId),
      onBehalfOf: person(d.onBehalfOf ?? null),
      via: d.via ?? null,
      closesStep: d.closesStep !== false,
      comment: d.comment,
      decidedAt: d.decidedAt.toISOString(),
    })),
  };
}
