import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { DataSource, EntityManager } from 'typeorm';
import { ApprovalsRepository, type DocumentRef } from '../../db/approvals.repository';
import { Approval, ApprovalStatus, Customer, Invoice, WorkflowDefinition } from '../../db/entities';
import { DelegationsRepository } from '../../db/delegations.repository';
import { InvoicesRepository } from '../../db/invoices.repository';
import { todayIn } from '../../domain/dates';
import { renderMessage } from '../../domain/messages';
import { messageVariables } from '../../domain/variables';
import {
  type ApprovalDelegation, cancelSignal, decideUpdate, type Decision, type DecisionChannel, type InvoiceApprovalInput, type InvoiceApprovalWorkflow, searchAttributes, workflowIds, workflowTypes,
} from '../../contracts';
import type { AuthUser } from '../auth/current-user.decorator';
import { DomainError } from '../../domain/errors';
import { TemporalClient } from '../temporal/temporal.module';
import { decisionError } from './approval-errors';
import { ApprovalMatcher, INVOICE_APPROVAL_TEMPLATE } from './approval-matcher';
import { type ApprovalPlan, approvalPlan, ApprovalPlanError, unreachableStep } from './approval-plan';
import { type ApprovalView, toApprovalView } from './approval.view';
import { isUuid } from '../../domain/ids';

const DAY_MS = 86_400_000;

/** How long approve/reject wait for the workflow to confirm before answering 503. */
const DECISION_WAIT_MS = 15_000;
const SUBMITTABLE: ApprovalStatus[] = ['approval_required', 'rejected'];

/** Editing these on an approved invoice evaluates it again. */
const REVIEWED_FIELDS = ['amount', 'customerId', 'locationId'] as const;

/** A document by kind and id; an id alone is an invoice's (the invoice routes' callers). */
function documentRef(document: DocumentRef | string): DocumentRef {
  return typeof document === 'string' ? { kind: 'invoice', id: document } : document;
}

/** The number people know the view's document by. */
function numberOf(view: ApprovalView): string {
  return view.invoiceNumber ?? view.billNumber ?? view.billId ?? '';
}

/** A 409 that says why an invoice in this status cannot be submitted. */
function notSubmittable(invoice: Pick<Invoice, 'number' | 'approvalStatus'>): DomainError {
  const why: Record<ApprovalStatus, string> = {
    not_required: 'does not need approval',
    approval_required: 'needs approval',
    pending_approval: 'is already pending approval',
    approved: 'is already approved',
    rejected: 'was rejected',
  };
  return new DomainError(409, `invoice ${invoice.number} ${why[invoice.approvalStatus]}; only an invoice that is approval_required or rejected can be submitted`);
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
    return toApprovalView(history.invoice, history.latest, history.decisions, history.names, history.delegated);
  }

  async submit(invoiceId: string, user: AuthUser): Promise<ApprovalView> {
    const { invoice, savedDefinition, customer } = await this.submissionFacts(invoiceId, user);
    if (user.role !== 'admin' && invoice.createdBy !== user.id) {
      throw new DomainError(403, `only the creator of invoice ${invoice.number} or an admin may submit it for approval`);
    }
    if (user.company.plan !== 'advanced') {
      throw new DomainError(409, `approval workflows run only on the advanced plan; company "${user.company.name}" is on ${user.company.plan}`);
    }
    if (!SUBMITTABLE.includes(invoice.approvalStatus)) throw notSubmittable(invoice);

    const definition = savedDefinition ?? await this.matcher.matchingDefinition(invoice, user.company);
    if (!definition) {
      // The definition was deactivated or changed since the invoice was saved: nothing asks for approval any more.
      await this.approvals.markNotRequired({ kind: 'invoice', id: invoice.id }, SUBMITTABLE);
      return this.view(invoice.id, user);
    }
    const delegations = await this.delegations.findCurrentOrComing(invoice.companyId, new Date());
    const plan = await this.planOf(definition, user.companyId, invoice, delegations);

    const previousStatus = invoice.approvalStatus;
    const approval = await this.recordSubmission(invoice, definition, plan, user);
    try {
      await this.startWorkflow(invoice, approval, plan, user, definition, customer, delegations);
    } catch (err) {
      await this.undoSubmission(approval, previousStatus);
      if (err instanceof WorkflowExecutionAlreadyStartedError) throw err;
      this.logger.error(`could not start ${approval.workflowId}: ${(err as Error).message}`);
      throw new DomainError(503, `could not start the approval workflow of invoice ${invoice.number} (is Temporal reachable?); nothing was submitted, try again`);
    }
    return this.view(invoice.id, user);
  }

  /**
   * The invoice becomes `pending_approval` and its submission is recorded, in one statement. It applies only if the
   * invoice is still as it was read (status and submission count), so two submissions racing make one run, not two.
   */
  private async recordSubmission(invoice: Invoice, definition: Pick<WorkflowDefinition, 'id' | 'version'>, plan: ApprovalPlan, user: AuthUser): Promise<Approval> {
    const submission = invoice.approvalSubmissions + 1;
    const approval = Object.assign(new Approval(), {
      companyId: invoice.companyId,
      recordType: 'invoice',
      invoiceId: invoice.id,
      billId: null,
      submission,
      definitionId: definition.id,
      definitionVersion: definition.version,
      workflowId: workflowIds.invoiceApproval(invoice.id, submission),
      runId: null,
      status: 'pending',
      steps: plan.steps,
      currentStep: 0,
      allowAdmins: plan.allowAdmins,
      deadline: new Date(Date.now() + plan.timeoutDays * DAY_MS),
      submittedBy: user.id,
      decidedAt: null,
    });
    const recorded = await this.approvals.recordSubmission(approval, invoice.approvalStatus);
    if (!recorded) {
      const current = await this.invoiceOf(invoice.id, user);
      if (!SUBMITTABLE.includes(current.approvalStatus)) throw notSubmittable(current);
      throw new DomainError(409, `invoice ${invoice.number} changed while it was being submitted; submit it again`);
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
    const pending = isUuid(doc.id) ? await this.approvals.findPendingDecision(doc, user.companyId) : undefined;
    if (!pending) {
      const current = await this.view(doc, user);
      throw new DomainError(409, `${doc.kind} ${numberOf(current)} is not pending approval (its approval status is ${current.status})`);
    }
    const named = `${doc.kind} ${pending.number}`;
    if (pending.createdBy === user.id) {
      throw new DomainError(403, `you created ${named} and may not decide it (no self-approval), even as an approver, admin or delegate`);
    }
    const handle = this.temporal.workflow.getHandle<InvoiceApprovalWorkflow>(pending.workflowId);
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

  /** A 409 says what the approval is now, so that the caller need not ask; other errors are left as they are. */
  private async withCurrentStatus(err: Error, document: DocumentRef, user: AuthUser): Promise<Error> {
    if (!(err instanceof DomainError) || err.statusCode !== 409) return err;
    const current = await this.view(document, user).catch(() => undefined);
    return current ? new DomainError(409, `${err.message}; its approval status is now ${current.status}`) : err;
  }

  /**
   * The approval fields of an invoice being saved, for the invoices service to call inside its save transaction
   * (`m`, with the invoice row locked): on create (`before` undefined) the requirement; on edit a pending run is
   * cancelled in the database (the invoice goes back to its creator) and the requirement is evaluated again, except
   * for an approved invoice whose amount, customer and location did not change. After commit, pass `cancelled` to
   * `signalCancelled` so that those runs end and close their tasks.
   */
  async approvalOnSave(
    m: EntityManager,
    invoice: Invoice,
    before: Pick<Invoice, 'approvalStatus' | 'approvalDefinitionId' | (typeof REVIEWED_FIELDS)[number]> | undefined,
    editor: Pick<AuthUser, 'id' | 'role' | 'company'>,
  ): Promise<{ fields: Pick<Invoice, 'approvalStatus' | 'approvalDefinitionId'>; cancelled: string[] }> {
    if (before?.approvalStatus === 'approved' && !REVIEWED_FIELDS.some((f) => String(before[f] ?? '') !== String(invoice[f] ?? ''))) {
      return { fields: { approvalStatus: 'approved', approvalDefinitionId: before.approvalDefinitionId }, cancelled: [] };
    }
    const cancelled = before?.approvalStatus === 'pending_approval' ? await this.cancelPending(m, invoice.id, editor.id) : [];
    return { fields: await this.matcher.requirement(invoice, editor, new Date(), m), cancelled };
  }

  /** Ends the runs `approvalOnSave` cancelled; the database already says cancelled, so a failure is logged, not thrown. */
  async signalCancelled(workflowIds: string[], editor: Pick<AuthUser, 'id'>): Promise<void> {
    for (const workflowId of workflowIds) {
      await this.temporal.workflow.getHandle(workflowId)
        .signal(cancelSignal, { userId: editor.id, reason: 'invoice edited' })
        .catch((err: Error) => this.logger.warn(`could not signal cancel to ${workflowId}: ${err.message}`));
    }
  }

  /** `approvalOnSave` and `signalCancelled` around an invoice already saved by `editor`, in a transaction of its own. */
  async onInvoiceEdited(
    invoice: Invoice,
    before: Pick<Invoice, (typeof REVIEWED_FIELDS)[number]>,
    editor: Pick<AuthUser, 'id' | 'role' | 'company'>,
  ): Promise<Pick<Invoice, 'approvalStatus' | 'approvalDefinitionId'>> {
    const { fields, cancelled } = await this.dataSource.transaction(async (m) => {
      const current = await this.invoices.findLocked(m, invoice.id);
      const result = await this.approvalOnSave(m, invoice, { ...before, approvalStatus: current.approvalStatus, approvalDefinitionId: current.approvalDefinitionId }, editor);
      await this.invoices.setApprovalFields(m, invoice.id, result.fields);
      return result;
    });
    await this.signalCancelled(cancelled, editor);
    Object.assign(invoice, fields);
    return fields;
  }

  /** For the companies service: a downgrade to `essentials` is refused while this is true. */
  async hasPendingApprovals(companyId: string, m: Pick<EntityManager, 'count'> = this.dataSource.manager): Promise<boolean> {
    return this.approvals.hasPendingApprovals(companyId, m);
  }

  private async invoiceOf(invoiceId: string, user: AuthUser): Promise<Invoice> {
    const invoice = isUuid(invoiceId) ? await this.invoices.find(user.companyId, invoiceId) : null;
    if (!invoice) throw new DomainError(404, `invoice ${invoiceId} not found`);
    return invoice;
  }

  /**
   * What a submission starts from, in one statement: the invoice (404 unless the caller's company's), the definition
   * it was saved under if that is still an active invoice approval, and its customer (for the run's summary).
   */
  private async submissionFacts(invoiceId: string, user: AuthUser):
    Promise<{ invoice: Invoice; savedDefinition: WorkflowDefinition | null; customer: Customer | null }> {
    const found = isUuid(invoiceId) ? await this.approvals.findSubmissionFacts(invoiceId, user.companyId, INVOICE_APPROVAL_TEMPLATE) : undefined;
    if (!found) throw new DomainError(404, `invoice ${invoiceId} not found`);
    return found;
  }

  /** The definition's plan, with only approvers and people to notify who still belong to the company. */
  private async planOf(
    definition: WorkflowDefinition, companyId: string, invoice: Pick<Invoice, 'number' | 'createdBy'>, delegations: ApprovalDelegation[],
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
    const empty = steps.findIndex((s) => s.approverIds.length === 0);
    if (empty >= 0) {
      throw new DomainError(409, `the approval workflow "${definition.name}" (${definition.id}) has no remaining approver for step ${empty + 1}; update its approvers`);
    }
    // No self-approval: the creator's seat never counts, and one person counts once, so a step must reach
    // its quorum with distinct people other than the creator.
    const now = new Date();
    const short = unreachableStep(steps, invoice.createdBy, delegations, now, new Date(now.getTime() + plan.timeoutDays * DAY_MS));
    if (short) {
      throw new DomainError(409, `step ${short.step + 1} of the approval workflow "${definition.name}" needs ${short.required} approval(s) but has only ` +
        `${short.people} distinct approver(s) besides the creator of invoice ${invoice.number}, who may not approve it ` +
        '(one person counts once, also for a seat delegated to them past the deadline); add approvers or lower required');
    }
    return { ...plan, steps, notifyUserIds: plan.notifyUserIds.filter((id) => known.has(id)) };
  }

  private async startWorkflow(
    invoice: Invoice, approval: Approval, plan: ApprovalPlan, user: AuthUser, definition: WorkflowDefinition, customer: Customer | null,
    delegations: ApprovalDelegation[],
  ): Promise<void> {
    const input: InvoiceApprovalInput = {
      requestMessage: await this.requestMessage(definition, invoice, approval, user, customer),
      approvalId: approval.id,
      companyId: invoice.companyId,
      document: { kind: 'invoice', id: invoice.id, number: invoice.number, amount: invoice.amount },
      invoiceId: invoice.id,
      invoiceNumber: invoice.number,
      definitionVersion: definition.version,
      submission: approval.submission,
      creatorId: invoice.createdBy,
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
      args: [input],
      typedSearchAttributes: [
        { key: searchAttributes.companyId, value: invoice.companyId },
        { key: searchAttributes.invoiceId, value: invoice.id },
        { key: searchAttributes.approvalStatus, value: 'pending_approval' },
      ],
      staticSummary: `Approval of invoice ${invoice.number} (${invoice.amount} ${user.company.currency}) for ${customer?.name ?? 'unknown customer'}, ` +
        `submission ${approval.submission}: ${stepsText}${plan.timeoutDays}-day deadline`,
      staticDetails: [
        `Company: ${user.company.name} (${invoice.companyId})`,
        `Invoice: ${invoice.number} (${invoice.id})`,
        `Definition: ${definition.name} (${definition.id}), version ${definition.version}`,
        `Submitted by: ${user.id}`,
        ...plan.steps.map((s, i) => `Step ${i + 1} approvers: ${s.approverIds.join(', ')}` +
          `${(s.required ?? 1) > 1 ? ` (${s.required} needed)` : ''}${s.escalateToId ? `, escalated to ${s.escalateToId} after ${s.escalateAfterDays} days` : ''}`),
      ].join('\n'),
    });
  }

  /**
   * The definition's approval request (Handlebars subject and body, checked when the definition was saved), rendered
   * for this invoice in the company's locale; none when the definition carries no text, and the default text is sent.
   */
  private async requestMessage(
    definition: WorkflowDefinition, invoice: Invoice, approval: Approval, user: AuthUser, customer: Customer | null,
  ): Promise<{ subject: string; text: string } | undefined> {
    const action = (definition.actions as { type?: string; subject?: unknown; body?: unknown }[])
      .find((a) => a?.type === 'approval' && typeof a.subject === 'string' && typeof a.body === 'string' && a.subject.trim() !== '');
    if (!action) return undefined;
    const { location, createdBy } = await this.approvals.findRequestParties(invoice);
    const company = { name: user.company.name, currency: user.company.currency, timezone: user.company.timezone };
    const variables = messageVariables('invoice', {
      company, now: new Date(), record: { ...invoice }, customer, location, createdBy,
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
   * Marks the pending approvals of an invoice cancelled, so that a decision racing with the edit changes nothing.
   * Called with the invoice's row locked (the save's transaction), so the approval's lock comes second, as everywhere.
   */
  private cancelPending(m: EntityManager, invoiceId: string, userId: string): Promise<string[]> {
    return this.approvals.cancelPending(m, invoiceId, userId);
  }
}
