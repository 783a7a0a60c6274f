import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { WorkflowExecutionAlreadyStartedError, type WorkflowHandle, WorkflowIdReusePolicy, WorkflowNotFoundError } from '@temporalio/client';
import { DataSource, EntityManager } from 'typeorm';
import { ApprovalSeatsRepository } from '../../db/approval-seats.repository';
import { ApprovalsRepository, type DocumentRef, type PendingDecision } from '../../db/approvals.repository';
import { Approval, ApprovalStatus, Bill, Customer, Invoice, Vendor, WorkflowDefinition } from '../../db/entities';
import { DelegationsRepository } from '../../db/delegations.repository';
import { InvoicesRepository } from '../../db/invoices.repository';
import { type DecisionToRetell, retoldDecision, waitsForRecorded } from '../../infra/recorded-decisions';
import { todayIn } from '../../domain/dates';
import { renderMessage } from '../../domain/messages';
import { messageVariables } from '../../domain/variables';
import {
  type ApprovalDelegation, type ApprovalState, approvalStateQuery, cancelSignal, decideUpdate, resolvesSeats, type SeatLossReason, seatLostSignal, type Decision, type DecisionChannel, type InvoiceApprovalInput, type InvoiceApprovalWorkflow, searchAttributes, workflowIds, workflowTypes,
} from '../../contracts';
import type { AuthUser } from '../auth/current-user.decorator';
import { DomainError } from '../../domain/errors';
import { TemporalClient } from '../temporal/temporal.module';
import { decisionError } from './approval-errors';
import { ApprovalMatcher, type ApprovalRecord, BILL_APPROVAL_TEMPLATE, INVOICE_APPROVAL_TEMPLATE } from './approval-matcher';
import { type ApprovalPlan, approvalPlan, ApprovalPlanError, unreachableStep } from './approval-plan';
import { type ApprovalView, toApprovalView } from './approval.view';
import { isUuid } from '../../domain/ids';

const DAY_MS = 86_400_000;

/** How long approve/reject wait for the workflow to confirm before answering 503. */
const DECISION_WAIT_MS = 15_000;
/**
 * A submission whose run has not recorded itself this long after it was recorded may have lost its run: the API
 * process that recorded it died before starting it. Longer than a live request takes between the two.
 */
const UNSTARTED_AFTER_MS = 60_000;
const SUBMITTABLE: ApprovalStatus[] = ['approval_required', 'rejected'];

/** Editing these on an approved invoice evaluates it again. */
const REVIEWED_FIELDS = { invoice: ['amount', 'customerId', 'locationId'], bill: ['amount', 'vendorId', 'locationId'] } as const;

/** What a submission reads of the document, whichever its kind. */
type SubmittedDocument = {
  id: string;
  companyId: string;
  /** The bill's id when it has no number. */
  number: string;
  amount: string;
  /** Null for a bill recorded before bills had a creator. */
  createdBy: string | null;
  approvalStatus: ApprovalStatus;
  approvalSubmissions: number;
  locationId: string | null;
  /** The invoice's customer, or the bill's vendor. */
  partyName: string | null;
  savedDefinition: WorkflowDefinition | null;
  customer: Customer | null;
  vendor: Vendor | null;
} & ({ kind: 'invoice'; record: Invoice } | { kind: 'bill'; record: Bill });

/** A document by kind and id; an id alone is an invoice's (the invoice routes' callers). */
function documentRef(document: DocumentRef | string): DocumentRef {
  return typeof document === 'string' ? { kind: 'invoice', id: document } : document;
}

/** The number people know the view's document by. */
function numberOf(view: ApprovalView): string {
  return view.invoiceNumber ?? view.billNumber ?? view.billId ?? '';
}

/** A 409 that says why a document in this status cannot be submitted. */
function notSubmittable(document: { kind: 'invoice' | 'bill'; number: string; approvalStatus: ApprovalStatus }): DomainError {
  const why: Record<ApprovalStatus, string> = {
    not_required: 'does not need approval',
    approval_required: 'needs approval',
    pending_approval: 'is already pending approval',
    approved: 'is already approved',
    rejected: 'was rejected',
  };
  return new DomainError(409, `${document.kind} ${document.number} ${why[document.approvalStatus]}; only ${document.kind === 'bill' ? 'a bill' : 'an invoice'} that is approval_required or rejected can be submitted`);
}

/** Sending is refused until an invoice that needs approval is approved; the invoices service calls this. */
export function assertInvoiceSendable(invoice: Pick<Invoice, 'number' | 'approvalStatus'>): void {
  if (invoice.approvalStatus === 'not_required' || invoice.approvalStatus === 'approved') return;
  throw new DomainError(409, `invoice ${invoice.number} cannot be sent: its approval status is ${invoice.approvalStatus}; it must be approved first`);
}

/**
 * Invoice approval for the API: starts the durable approval workflow, passes decisions to it through the `decide`
 * Update (whose validator checks who may decide), answers with the approval as the database holds it once the
 * workflow has recorded the decision, and keeps the invoice's `approvalStatus` right when an invoice is edited.
 */
@Injectable()
export class ApprovalsService {
  private readonly logger = new Logger(ApprovalsService.name);

  private readonly approvals: ApprovalsRepository;
  private readonly invoices: InvoicesRepository;
  private readonly delegations: DelegationsRepository;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly temporal: TemporalClient,
    private readonly matcher: ApprovalMatcher,
  ) {
    this.approvals = new ApprovalsRepository(dataSource);
    this.invoices = new InvoicesRepository(dataSource);
    this.delegations = new DelegationsRepository(dataSource);
  }

  /** The approval view of a document (an id alone is an invoice's) of the caller's company (404 otherwise), read in one statement. */
  async view(document: DocumentRef | string, user: AuthUser): Promise<ApprovalView> {
    const doc = documentRef(document);
    const history = isUuid(doc.id) ? await this.approvals.findHistory(doc, user.companyId) : undefined;
    if (!history) throw new DomainError(404, `${doc.kind} ${doc.id} not found`);
    return toApprovalView(history.invoice, history.latest, history.decisions, history.names, history.delegated, history.seats);
  }

  /**
   * Submits a document (an id alone is an invoice's) for approval: records the submission under the definition it was
   * saved under, or the one the matcher finds for it now (by its kind's template), and
   * starts its run. Answers the view, already `pending_approval`.
   */
  async submit(document: DocumentRef | string, user: AuthUser): Promise<ApprovalView> {
    const doc = documentRef(document);
    const s = await this.submitted(doc, user);
    if (user.role !== 'admin' && s.createdBy !== user.id) {
      throw new DomainError(403, `only the creator of ${doc.kind} ${s.number} or an admin may submit it for approval`);
    }
    if (user.company.plan !== 'advanced') {
      throw new DomainError(409, `approval workflows run only on the advanced plan; company "${user.company.name}" is on ${user.company.plan}`);
    }
    if (s.approvalStatus === 'pending_approval' && await this.startLostRun(doc, user)) return this.view(doc, user);
    if (!SUBMITTABLE.includes(s.approvalStatus)) throw notSubmittable(s);

    const definition = s.savedDefinition ?? await this.matcher.matchingDefinitionOf(
      s.kind === 'invoice' ? { kind: 'invoice', record: s.record } : { kind: 'bill', record: s.record }, user.company);
    if (!definition) {
      // The definition was deactivated or changed since the document was saved: nothing asks for approval any more.
      await this.approvals.markNotRequired(doc, SUBMITTABLE);
      return this.view(doc, user);
    }
    const delegations = await this.delegations.findCurrentOrComing(s.companyId, new Date());
    const plan = await this.planOf(definition, user.companyId, s, delegations);

    const previousStatus = s.approvalStatus;
    const approval = await this.recordSubmission(s, definition, plan, user);
    try {
      await this.startWorkflow(s, approval, plan, user, definition, delegations);
    } catch (err) {
      // This submission's run exists (the workflow id is the document's and the submission's): a repair of a start
      // that seemed lost got there first (startLostRun). The submission stands.
      if (err instanceof WorkflowExecutionAlreadyStartedError) return this.view(doc, user);
      await this.undoSubmission(approval, previousStatus);
      this.logger.error(`could not start ${approval.workflowId}: ${(err as Error).message}`);
      throw new DomainError(503, `could not start the approval workflow of ${doc.kind} ${s.number} (is Temporal reachable?); nothing was submitted, try again`);
    }
    return this.view(doc, user);
  }

  /**
   * The document becomes `pending_approval` and its submission is recorded, in one statement. It applies only if the
   * document is still as it was read (status and submission count), so two submissions racing make one run, not two.
   */
  private async recordSubmission(
    s: SubmittedDocument, definition: Pick<WorkflowDefinition, 'id' | 'version'>, plan: ApprovalPlan, user: AuthUser,
  ): Promise<Approval> {
    const submission = s.approvalSubmissions + 1;
    const bill = s.kind === 'bill';
    const approval = Object.assign(new Approval(), {
      companyId: s.companyId,
      recordType: s.kind,
      invoiceId: bill ? null : s.id,
      billId: bill ? s.id : null,
      submission,
      definitionId: definition.id,
      definitionVersion: definition.version,
      workflowId: bill ? workflowIds.billApproval(s.id, submission) : workflowIds.invoiceApproval(s.id, submission),
      runId: null,
      status: 'pending',
      steps: plan.steps,
      currentStep: 0,
      allowAdmins: plan.allowAdmins,
      deadline: new Date(Date.now() + plan.timeoutDays * DAY_MS),
      submittedBy: user.id,
      decidedAt: null,
    });
    const recorded = await this.approvals.recordSubmission(approval, s.approvalStatus);
    if (!recorded) {
      const current = await this.view({ kind: s.kind, id: s.id }, user);
      if (!SUBMITTABLE.includes(current.status)) throw notSubmittable({ kind: s.kind, number: s.number, approvalStatus: current.status });
      throw new DomainError(409, `${s.kind} ${s.number} changed while it was being submitted; submit it again`);
    }
    return Object.assign(approval, recorded);
  }

  /**
   * A decision on a document (an id alone is an invoice's) through its run's `decide` Update, answered with the view
   * once recorded. `step`: the step the decision is bound to (an email link's); the run refuses it once another step
   * is pending.
   */
  async decide(
    document: DocumentRef | string, user: AuthUser, decision: Decision, body: { comment?: string; reason?: string }, via: DecisionChannel = 'api', step?: number,
  ): Promise<ApprovalView> {
    const doc = documentRef(document);
    // The pending approval and its document in one read; the document's view only to say why there is none.
    const pending = isUuid(doc.id) ? await this.approvals.findPendingDecision(doc, user.companyId, UNSTARTED_AFTER_MS) : undefined;
    if (!pending) {
      const current = await this.view(doc, user);
      if (await this.retellLostDecision(current, user, decision, via)) return this.view(doc, user);
      throw new DomainError(409, `${doc.kind} ${numberOf(current)} is not pending approval (its approval status is ${current.status})`);
    }
    const named = `${doc.kind} ${pending.number}`;
    if (pending.createdBy === user.id) {
      throw new DomainError(403, `you created ${named} and may not decide it (no self-approval), even as an approver, admin or delegate`);
    }
    if (pending.runOverdue) await this.startLostRun(doc, user);
    const handle = this.temporal.workflow.getHandle<InvoiceApprovalWorkflow>(pending.workflowId);
    await this.refuseLostSeat(pending, user, handle, named);
    let settled: { status: string };
    try {
      settled = await this.temporal.withDeadline(Date.now() + DECISION_WAIT_MS, () => handle.executeUpdate(decideUpdate, {
        args: [{ decision, userId: user.id, isAdmin: user.role === 'admin', comment: body.comment, reason: body.reason, via, ...(step === undefined ? {} : { step }) }],
      }));
    } catch (err) {
      throw await this.withCurrentStatus(decisionError(err, pending.number, doc.kind), doc, user);
    }
    if (settled.status === 'cancelled') {
      // Accepted, then the document was edited before the decision reached the database: the edit won.
      throw await this.withCurrentStatus(
        new DomainError(409, `${named} is not pending approval: it was edited while the decision was being recorded`), doc, user);
    }
    return this.view(doc, user);
  }

  /**
   * A submission recorded whose run never started: the API process that recorded it died before starting the run (the
   * chaos soak found one), and nothing would ever ask its approvers. Once it is older than a live request takes to start
   * it (`UNSTARTED_AFTER_MS`) and Temporal does not know its run, the run is started now, from what the submission
   * recorded (its steps, its admins rule, its definition's other settings as they are now; the deadline counts from
   * now). A submit or a decision of the document does it. Answers whether it started one.
   */
  private async startLostRun(doc: DocumentRef, user: AuthUser): Promise<boolean> {
    const approval = await this.approvals.findUnstartedApproval(doc, user.companyId, UNSTARTED_AFTER_MS);
    if (!approval?.definitionId) return false;
    try {
      await this.temporal.workflow.getHandle(approval.workflowId).describe();
      return false; // It exists: a worker will run it.
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) {
        this.logger.warn(`could not describe ${approval.workflowId}: ${(err as Error).message}`);
        throw new DomainError(503, `could not learn whether the approval run of ${doc.kind} ${doc.id} started (is Temporal reachable?); retry`);
      }
    }
    const definition = await this.dataSource.getRepository(WorkflowDefinition).findOneBy({ id: approval.definitionId, companyId: user.companyId });
    if (!definition) return false;
    const s = await this.submitted(doc, user);
    const delegations = await this.delegations.findCurrentOrComing(s.companyId, new Date());
    const plan = { ...await this.planOf(definition, user.companyId, s, delegations), steps: approval.steps, allowAdmins: approval.allowAdmins };
    // The run's deadline counts from its start (its first task records it): the request message says that one.
    approval.deadline = new Date(Date.now() + plan.timeoutDays * DAY_MS);
    try {
      await this.startWorkflow(s, approval, plan, user, definition, delegations);
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return true;
      this.logger.warn(`could not start ${approval.workflowId} again: ${(err as Error).message}`);
      throw new DomainError(503, `could not start the approval workflow of ${doc.kind} ${s.number} (is Temporal reachable?); retry`);
    }
    this.logger.warn(`${approval.workflowId}: the submission's run had never started (its API process died first); started it now`);
    return true;
  }

  /**
   * A decision Postgres holds that its run never heard of: the `decide` Update's workflow task wrote it (a local
   * activity), then the Temporal server died before the task completed, losing the task and the Update it held in
   * memory, so the run still waits. The same person asking the same decision again (a client retrying an answer it never
   * got) tells the run again; writing the decision and the outcome again changes nothing, and the run ends as recorded,
   * telling the outcome. Answers whether the run was told. When nobody asks again, the worker tells it
   * (src/worker/lost-decision-reconciler.ts), under the same Update id.
   */
  private async retellLostDecision(current: ApprovalView, user: AuthUser, decision: Decision, via: DecisionChannel): Promise<boolean> {
    const outcome: DecisionToRetell['decision'] = decision === 'approve' ? 'approved' : 'rejected';
    const last = current.decisions.filter((d) => d.submission === current.submission && d.closesStep).at(-1);
    if (current.status !== outcome || !current.workflowId || last?.decision !== outcome || last.decidedBy?.id !== user.id) return false;
    const handle = this.temporal.workflow.getHandle<InvoiceApprovalWorkflow>(current.workflowId);
    let state: ApprovalState | undefined;
    try {
      state = await handle.query(approvalStateQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      // Whether the run heard of the decision is unknown: a 409 would tell the decider not to retry, and the run would wait.
      throw new DomainError(503, `could not confirm that the run of ${current.kind} ${numberOf(current)} has its recorded decision (is Temporal reachable?); retry`);
    }
    // The recorded decision's own words and channel, whatever the retry carries: the outcome's notices say what the trail says.
    const recorded = { step: last.step - 1, decision: outcome, userId: user.id, isAdmin: user.role === 'admin', comment: last.comment ?? null, via: last.via ?? via };
    if (!waitsForRecorded(state, recorded)) return false;
    this.logger.warn(`${current.workflowId} waits for a decision Postgres holds (its Update was lost): telling it again`);
    try {
      await this.temporal.withDeadline(Date.now() + DECISION_WAIT_MS, () => handle.executeUpdate(decideUpdate, retoldDecision(recorded)));
    } catch (err) {
      throw decisionError(err, numberOf(current), current.kind);
    }
    return true;
  }

  /**
   * A step whose seats come from groups or limits: when every seat the caller holds in the run (theirs, or a
   * delegator's) is read from them and the database no longer gives it, the run missed the seat-loss signal (Temporal
   * unreachable when the change committed). It is told again, and the caller gets a 403 rather than deciding.
   */
  private async refuseLostSeat(pending: PendingDecision, user: AuthUser, handle: WorkflowHandle<InvoiceApprovalWorkflow>, named: string): Promise<void> {
    const step = pending.pendingStep;
    if (!step || !resolvesSeats(step) || !pending.createdBy) return;
    // A run that cannot be asked now is left to the Update, which answers for it (503 when Temporal is away).
    const state = await handle.query(approvalStateQuery).catch(() => undefined);
    if (!state || state.currentStep !== pending.currentStep) return;
    const held = [...new Set((state.eligible ?? []).filter((e) => e.userId === user.id).map((e) => e.onBehalfOf ?? e.userId))];
    const kept = new Set([...step.approverIds, ...(state.escalated ?? [])]);
    if (held.length === 0 || held.some((seat) => kept.has(seat))) return;
    const seats = new ApprovalSeatsRepository(this.dataSource);
    const query = { companyId: user.companyId, approverIds: step.approverIds, groupIds: step.groupIds ?? [], amount: pending.amount, creatorId: pending.createdBy };
    const now = await seats.findSeats({ ...query, routing: step.routing });
    if (held.some((seat) => now.seatIds.includes(seat))) return;
    const active = await this.approvals.findActiveCompanyUserIds(user.companyId, held);
    const members = step.routing === 'limit' ? new Set((await seats.findSeats({ ...query, routing: undefined })).seatIds) : new Set<string>();
    const reasonOf = (seat: string): SeatLossReason =>
      !active.has(seat) ? 'deactivated' : members.has(seat) ? 'limit_lowered' : 'removed_from_group';
    for (const seat of held) {
      await handle.signal(seatLostSignal, { userId: seat, reason: reasonOf(seat) })
        .catch((err: Error) => this.logger.warn(`could not tell ${pending.workflowId} that user ${seat} lost a seat: ${err.message}`));
    }
    throw new DomainError(403, `user ${user.id} no longer holds a seat of step ${pending.currentStep + 1} of ${named} ` +
      `(${held.map((seat) => `${seat}: ${reasonOf(seat).replaceAll('_', ' ')}`).join(', ')})`);
  }

  /** A 409 says what the approval is now, so that the caller need not ask; other errors are left as they are. */
  private async withCurrentStatus(err: Error, document: DocumentRef, user: AuthUser): Promise<Error> {
    if (!(err instanceof DomainError) || err.statusCode !== 409) return err;
    const current = await this.view(document, user).catch(() => undefined);
    return current ? new DomainError(409, `${err.message}; its approval status is now ${current.status}`) : err;
  }

  /**
   * The approval fields of a document being saved, for the invoices and bills services to call inside their save
   * transaction (`m`, with the document's row locked): on create (`before` undefined) the requirement; on edit a
   * pending run is cancelled in the database (the document goes back to its creator) and the requirement is evaluated
   * again, except for an approved document whose amount, party and location did not change. After commit, pass
   * `cancelled` to `signalCancelled` so that those runs end and close their tasks.
   */
  async approvalOnSave(
    m: EntityManager,
    document: ApprovalRecord,
    before: Pick<Invoice, 'approvalStatus' | 'approvalDefinitionId'> | undefined,
    editor: Pick<AuthUser, 'id' | 'role' | 'company'>,
  ): Promise<{ fields: Pick<Invoice, 'approvalStatus' | 'approvalDefinitionId'>; cancelled: string[] }> {
    const [record, earlier] = [document.record, before] as unknown as Record<string, unknown>[];
    if (before?.approvalStatus === 'approved' && !REVIEWED_FIELDS[document.kind].some((f) => String(earlier[f] ?? '') !== String(record[f] ?? ''))) {
      return { fields: { approvalStatus: 'approved', approvalDefinitionId: before.approvalDefinitionId }, cancelled: [] };
    }
    const cancelled = before?.approvalStatus === 'pending_approval'
      ? await this.cancelPending(m, { kind: document.kind, id: String(record.id) }, editor.id)
      : [];
    return { fields: await this.matcher.requirementOf(document, editor, new Date(), m), cancelled };
  }

  /** Ends the runs `approvalOnSave` cancelled; the database already says cancelled, so a failure is logged, not thrown. */
  async signalCancelled(workflowIds: string[], editor: Pick<AuthUser, 'id'>, kind: DocumentRef['kind']): Promise<void> {
    for (const workflowId of workflowIds) {
      await this.temporal.workflow.getHandle(workflowId)
        .signal(cancelSignal, { userId: editor.id, reason: `${kind} edited` })
        .catch((err: Error) => this.logger.warn(`could not signal cancel to ${workflowId}: ${err.message}`));
    }
  }

  /** `approvalOnSave` and `signalCancelled` around an invoice already saved by `editor`, in a transaction of its own. */
  async onInvoiceEdited(
    invoice: Invoice,
    before: Pick<Invoice, (typeof REVIEWED_FIELDS.invoice)[number]>,
    editor: Pick<AuthUser, 'id' | 'role' | 'company'>,
  ): Promise<Pick<Invoice, 'approvalStatus' | 'approvalDefinitionId'>> {
    const { fields, cancelled } = await this.dataSource.transaction(async (m) => {
      const current = await this.invoices.findLocked(m, invoice.id);
      const result = await this.approvalOnSave(m, { kind: 'invoice', record: invoice }, { ...before, approvalStatus: current.approvalStatus, approvalDefinitionId: current.approvalDefinitionId }, editor);
      await this.invoices.setApprovalFields(m, invoice.id, result.fields);
      return result;
    });
    await this.signalCancelled(cancelled, editor, 'invoice');
    Object.assign(invoice, fields);
    return fields;
  }

  /** For the companies service: a downgrade to `essentials` is refused while this is true. */
  async hasPendingApprovals(companyId: string, m: Pick<EntityManager, 'count'> = this.dataSource.manager): Promise<boolean> {
    return this.approvals.hasPendingApprovals(companyId, m);
  }

  /**
   * What a submission starts from, in one statement: the document (404 unless the caller's company's), the definition
   * it was saved under if that is still an active approval of its kind, and its customer or vendor (for the run's summary).
   */
  private async submitted(doc: DocumentRef, user: AuthUser): Promise<SubmittedDocument> {
    if (doc.kind === 'bill') {
      const found = isUuid(doc.id) ? await this.approvals.findBillSubmissionFacts(doc.id, user.companyId, BILL_APPROVAL_TEMPLATE) : undefined;
      if (!found) throw new DomainError(404, `bill ${doc.id} not found`);
      const { bill, savedDefinition, vendor } = found;
      return {
        kind: 'bill', id: bill.id, companyId: bill.companyId, number: bill.number ?? bill.id, amount: bill.amount, createdBy: bill.createdBy,
        approvalStatus: bill.approvalStatus, approvalSubmissions: bill.approvalSubmissions, locationId: bill.locationId, partyName: vendor?.name ?? null,
        savedDefinition, record: bill, customer: null, vendor,
      };
    }
    const found = isUuid(doc.id) ? await this.approvals.findSubmissionFacts(doc.id, user.companyId, INVOICE_APPROVAL_TEMPLATE) : undefined;
    if (!found) throw new DomainError(404, `invoice ${doc.id} not found`);
    const { invoice, savedDefinition, customer } = found;
    return {
      kind: 'invoice', id: invoice.id, companyId: invoice.companyId, number: invoice.number, amount: invoice.amount, createdBy: invoice.createdBy,
      approvalStatus: invoice.approvalStatus, approvalSubmissions: invoice.approvalSubmissions, locationId: invoice.locationId,
      partyName: customer?.name ?? null, savedDefinition, record: invoice, customer, vendor: null,
    };
  }

  /** The definition's plan, with only approvers and people to notify who still belong to the company. */
  private async planOf(
    definition: WorkflowDefinition, companyId: string, document: Pick<SubmittedDocument, 'kind' | 'number' | 'createdBy'>, delegations: ApprovalDelegation[],
  ): Promise<ApprovalPlan> {
    let plan: ApprovalPlan;
    try {
      plan = approvalPlan(definition.actions);
    } catch (err) {
      if (!(err instanceof ApprovalPlanError)) throw err;
      throw new DomainError(409, `the approval workflow "${definition.name}" (${definition.id}) cannot run: ${err.message}`);
    }
    const ids = [...new Set([...plan.steps.flatMap((s) => [...s.approverIds, ...(s.escalateToId ? [s.escalateToId] : [])]), ...plan.notifyUserIds])];
    const known = await this.approvals.findActiveCompanyUserIds(companyId, ids);
    const steps = plan.steps.map(({ escalateToId, escalateAfterDays, ...s }) => ({
      ...s,
      approverIds: s.approverIds.filter((id) => known.has(id)),
      ...(escalateToId && known.has(escalateToId) ? { escalateToId, escalateAfterDays } : {}),
    }));
    const empty = steps.findIndex((s) => s.approverIds.length === 0 && !s.groupIds?.length);
    if (empty >= 0) {
      throw new DomainError(409, `the approval workflow "${definition.name}" (${definition.id}) has no remaining approver for step ${empty + 1}; update its approvers`);
    }
    // No self-approval: the creator's seat never counts, and one person counts once, so a step must reach
    // its quorum with distinct people other than the creator.
    const now = new Date();
    const short = unreachableStep(steps, document.createdBy ?? '', delegations, now, new Date(now.getTime() + plan.timeoutDays * DAY_MS));
    if (short) {
      throw new DomainError(409, `step ${short.step + 1} of the approval workflow "${definition.name}" needs ${short.required} approval(s) but has only ` +
        `${short.people} distinct approver(s) besides the creator of ${document.kind} ${document.number}, who may not approve it ` +
        '(one person counts once, also for a seat delegated to them past the deadline); add approvers or lower required');
    }
    return { ...plan, steps, notifyUserIds: plan.notifyUserIds.filter((id) => known.has(id)) };
  }

  private async startWorkflow(
    s: SubmittedDocument, approval: Approval, plan: ApprovalPlan, user: AuthUser, definition: WorkflowDefinition, delegations: ApprovalDelegation[],
  ): Promise<void> {
    const bill = s.kind === 'bill';
    const input: InvoiceApprovalInput = {
      requestMessage: await this.requestMessage(definition, s, approval, user),
      approvalId: approval.id,
      companyId: s.companyId,
      document: { kind: s.kind, id: s.id, number: s.number, amount: s.amount },
      // A bill's run reads its bill from `document` only.
      invoiceId: bill ? '' : s.id,
      invoiceNumber: bill ? '' : s.number,
      definitionVersion: definition.version,
      submission: approval.submission,
      // A bill recorded before bills had a creator: nobody is kept from deciding it.
      creatorId: s.createdBy ?? '',
      steps: plan.steps,
      allowAdmins: plan.allowAdmins,
      timeout: plan.timeoutDays * DAY_MS,
      reminderLead: plan.reminderDaysBefore * DAY_MS,
      notifyUserIds: plan.notifyUserIds,
      push: plan.push,
      delegations,
    };
    const stepsText = plan.steps.length > 1 ? `${plan.steps.length} steps, ` : '';
    await this.temporal.workflow.start<InvoiceApprovalWorkflow>(workflowTypes.documentApproval, {
      taskQueue: this.temporal.taskQueueName,
      workflowId: approval.workflowId,
      // One run per submission, ever: a repair racing another (startLostRun) must not start a second after the first ended.
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      args: [input],
      typedSearchAttributes: [
        { key: searchAttributes.companyId, value: s.companyId },
        { key: bill ? searchAttributes.billId : searchAttributes.invoiceId, value: s.id },
        { key: searchAttributes.approvalStatus, value: 'pending_approval' },
      ],
      staticSummary: `Approval of ${s.kind} ${s.number} (${s.amount} ${user.company.currency}) ${bill ? 'from' : 'for'} ` +
        `${s.partyName ?? (bill ? 'unknown vendor' : 'unknown customer')}, submission ${approval.submission}: ${stepsText}${plan.timeoutDays}-day deadline`,
      staticDetails: [
        `Company: ${user.company.name} (${s.companyId})`,
        `${bill ? 'Bill' : 'Invoice'}: ${s.number} (${s.id})`,
        `Definition: ${definition.name} (${definition.id}), version ${definition.version}`,
        `Submitted by: ${approval.submittedBy}`,
        ...plan.steps.map((s, i) => `Step ${i + 1} approvers: ${s.approverIds.join(', ')}` +
          `${(s.required ?? 1) > 1 ? ` (${s.required} needed)` : ''}${s.escalateToId ? `, escalated to ${s.escalateToId} after ${s.escalateAfterDays} days` : ''}`),
      ].join('\n'),
    });
  }

  /**
   * The definition's approval request (Handlebars subject and body, checked when the definition was saved), rendered
   * for this document in the company's locale; none when the definition carries no text, and the default text is sent.
   */
  private async requestMessage(
    definition: WorkflowDefinition, s: SubmittedDocument, approval: Approval, user: AuthUser,
  ): Promise<{ subject: string; text: string } | undefined> {
    const action = (definition.actions as { type?: string; subject?: unknown; body?: unknown }[])
      .find((a) => a?.type === 'approval' && typeof a.subject === 'string' && typeof a.body === 'string' && a.subject.trim() !== '');
    if (!action) return undefined;
    const { location, createdBy } = await this.approvals.findRequestParties(s);
    const company = { name: user.company.name, currency: user.company.currency, timezone: user.company.timezone };
    const variables = messageVariables(s.kind, {
      company, now: new Date(), record: { ...s.record }, customer: s.customer, vendor: s.vendor, location, createdBy,
      deadline: todayIn(company.timezone, approval.deadline),
    });
    const rendered = renderMessage({ subject: String(action.subject), body: String(action.body) }, variables,
      { locale: user.company.locale, currency: company.currency, timezone: company.timezone, html: false });
    return { subject: rendered.subject, text: rendered.body };
  }

  private async undoSubmission(approval: Approval, previousStatus: ApprovalStatus): Promise<void> {
    await this.approvals.undoSubmission(approval, previousStatus);
  }

  /**
   * Marks the pending approvals of a document (an id alone is an invoice's) cancelled, so that a decision racing with
   * the edit changes nothing; answers their workflow ids, for `signalCancelled` after commit. Called with the
   * document's row locked (the save's transaction, `m`), so the approval's lock comes second, as everywhere.
   */
  cancelPending(m: EntityManager, document: DocumentRef | string, userId: string): Promise<string[]> {
    return this.approvals.cancelPending(m, document, userId);
  }
}
