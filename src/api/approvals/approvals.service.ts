import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { DataSource, EntityManager, In } from 'typeorm';
import { Approval, ApprovalDecision, ApprovalStatus, Customer, Invoice, Location, User, WorkflowDefinition } from '../../db/entities';
import { todayIn } from '../../domain/dates';
import { renderMessage } from '../../domain/messages';
import { messageVariables } from '../../domain/variables';
import {
  cancelSignal, decideUpdate, type Decision, type InvoiceApprovalInput, type InvoiceApprovalWorkflow, searchAttributes, workflowIds, workflowTypes,
} from '../../contracts';
import type { AuthUser } from '../auth/current-user.decorator';
import { DomainError } from '../../domain/errors';
import { TemporalClient } from '../temporal/temporal.module';
import { decisionError } from './approval-errors';
import { ApprovalMatcher, INVOICE_APPROVAL_TEMPLATE } from './approval-matcher';
import { type ApprovalPlan, approvalPlan, ApprovalPlanError } from './approval-plan';
import { type ApprovalView, toApprovalView } from './approval.view';
import { isUuid } from '../../domain/ids';
import { preparedSql, type Sql } from '../../db/sql';

const DAY_MS = 86_400_000;

/** How long approve/reject wait for the workflow to confirm before answering 503. */
const DECISION_WAIT_MS = 15_000;
const SUBMITTABLE: ApprovalStatus[] = ['approval_required', 'rejected'];

/** What VIEW_SQL returns: the invoice, its latest approval, every decision of every submission, and people's names. */
interface ViewRow {
  id: string;
  number: string;
  approvalStatus: ApprovalStatus;
  latest: (Omit<Approval, 'deadline' | 'createdAt' | 'decidedAt'> & { deadline: string; createdAt: string; decidedAt: string | null }) | null;
  decisions: (Omit<ApprovalDecision, 'decidedAt'> & { submission: number; decidedAt: string })[];
  names: Record<string, string>;
}

/** The approval view in one round trip (it answers every submit and decision, so it is on the hot path). */
const VIEW_SQL = `
  SELECT i.id, i.number, i.approval_status AS "approvalStatus",
    (SELECT row_to_json(a) FROM (
       SELECT id, company_id AS "companyId", invoice_id AS "invoiceId", submission, definition_id AS "definitionId",
              workflow_id AS "workflowId", run_id AS "runId", status, steps, current_step AS "currentStep",
              allow_admins AS "allowAdmins", deadline, submitted_by AS "submittedBy", created_at AS "createdAt", decided_at AS "decidedAt"
         FROM approvals WHERE invoice_id = i.id ORDER BY submission DESC LIMIT 1) a) AS latest,
    (SELECT coalesce(json_agg(d ORDER BY d.submission, d.step), '[]') FROM (
       SELECT d.id, d.approval_id AS "approvalId", a.submission, d.step, d.decision, d.user_id AS "userId", d.comment, d.decided_at AS "decidedAt"
         FROM approval_decisions d JOIN approvals a ON a.id = d.approval_id WHERE a.invoice_id = i.id) d) AS decisions,
    (SELECT coalesce(json_object_agg(u.id, u.name), '{}') FROM users u
      WHERE u.company_id = i.company_id AND u.id IN (
        SELECT a.submitted_by FROM approvals a WHERE a.invoice_id = i.id
        UNION SELECT d.user_id FROM approval_decisions d JOIN approvals a ON a.id = d.approval_id WHERE a.invoice_id = i.id
        UNION SELECT (jsonb_array_elements_text(s.step -> 'approverIds'))::uuid
                FROM approvals a CROSS JOIN LATERAL jsonb_array_elements(a.steps) AS s(step) WHERE a.invoice_id = i.id)) AS names
    FROM invoices i WHERE i.id = $1 AND i.company_id = $2`;

/** Editing these on an approved invoice evaluates it again (PRODUCT §5). */
const REVIEWED_FIELDS = ['amount', 'customerId', 'locationId'] as const;

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

/** Sending is refused until an invoice that needs approval is approved (PRODUCT §5); the invoices service calls this. */
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

  /** The hot reads (the view, the pending approval of a decision) as prepared statements. */
  private readonly sql: Sql;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly temporal: TemporalClient,
    private readonly matcher: ApprovalMatcher,
  ) {
    this.sql = preparedSql(dataSource);
  }

  /** The approval view of an invoice of the caller's company (404 otherwise), read in one statement. */
  async view(invoiceId: string, user: AuthUser): Promise<ApprovalView> {
    const [row] = isUuid(invoiceId) ? await this.sql.query<ViewRow>(VIEW_SQL, [invoiceId, user.companyId]) : [];
    if (!row) throw new DomainError(404, `invoice ${invoiceId} not found`);
    const latest: Approval | null = row.latest && Object.assign(new Approval(), row.latest, {
      deadline: new Date(row.latest.deadline), createdAt: new Date(row.latest.createdAt),
      decidedAt: row.latest.decidedAt ? new Date(row.latest.decidedAt) : null,
    });
    const decisions = row.decisions.map((d) => Object.assign(new ApprovalDecision(), d, { decidedAt: new Date(d.decidedAt) }));
    return toApprovalView(row, latest, decisions, new Map(Object.entries(row.names)));
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
      await this.dataSource.getRepository(Invoice).update(
        { id: invoice.id, approvalStatus: In(SUBMITTABLE) },
        { approvalStatus: 'not_required', approvalDefinitionId: null },
      );
      return this.view(invoice.id, user);
    }
    const plan = await this.planOf(definition, user.companyId);

    const previousStatus = invoice.approvalStatus;
    const approval = await this.recordSubmission(invoice, definition.id, plan, user);
    try {
      await this.startWorkflow(invoice, approval, plan, user, definition, customer);
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
  private async recordSubmission(invoice: Invoice, definitionId: string, plan: ApprovalPlan, user: AuthUser): Promise<Approval> {
    const submission = invoice.approvalSubmissions + 1;
    const approval = this.dataSource.getRepository(Approval).create({
      companyId: invoice.companyId,
      invoiceId: invoice.id,
      submission,
      definitionId,
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
    const rows = await this.sql.query<{ id: string; createdAt: Date }>(
      `WITH invoice AS (
         UPDATE invoices SET approval_status = 'pending_approval', approval_submissions = $3, approval_definition_id = $4, updated_at = now()
          WHERE id = $1 AND company_id = $2 AND approval_submissions = $3 - 1 AND approval_status = $5
         RETURNING id)
       INSERT INTO approvals (company_id, invoice_id, submission, definition_id, workflow_id, status, steps, current_step, allow_admins, deadline, submitted_by)
       SELECT $2, id, $3, $4, $6, 'pending', $7::jsonb, 0, $8, $9, $10 FROM invoice
       RETURNING id, created_at AS "createdAt"`,
      [invoice.id, invoice.companyId, submission, definitionId, invoice.approvalStatus, approval.workflowId, JSON.stringify(approval.steps),
        approval.allowAdmins, approval.deadline, user.id],
    );
    if (rows.length === 0) {
      const current = await this.invoiceOf(invoice.id, user);
      if (!SUBMITTABLE.includes(current.approvalStatus)) throw notSubmittable(current);
      throw new DomainError(409, `invoice ${invoice.number} changed while it was being submitted; submit it again`);
    }
    return Object.assign(approval, rows[0]);
  }

  async decide(invoiceId: string, user: AuthUser, decision: Decision, body: { comment?: string; reason?: string }): Promise<ApprovalView> {
    // The pending approval and its invoice in one read; the invoice alone only to say why there is none.
    const [pending] = isUuid(invoiceId) ? await this.sql.query<{ workflowId: string; number: string }>(
      `SELECT a.workflow_id AS "workflowId", i.number FROM approvals a JOIN invoices i ON i.id = a.invoice_id
        WHERE a.invoice_id = $1 AND a.company_id = $2 AND a.status = 'pending' AND i.approval_status = 'pending_approval'
        ORDER BY a.submission DESC LIMIT 1`,
      [invoiceId, user.companyId],
    ) : [];
    if (!pending) {
      const invoice = await this.invoiceOf(invoiceId, user);
      throw new DomainError(409, `invoice ${invoice.number} is not pending approval (its approval status is ${invoice.approvalStatus})`);
    }
    const handle = this.temporal.workflow.getHandle<InvoiceApprovalWorkflow>(pending.workflowId);
    let settled: { status: string };
    try {
      settled = await this.temporal.withDeadline(Date.now() + DECISION_WAIT_MS, () => handle.executeUpdate(decideUpdate, {
        args: [{ decision, userId: user.id, isAdmin: user.role === 'admin', comment: body.comment, reason: body.reason }],
      }));
    } catch (err) {
      throw await this.withCurrentStatus(decisionError(err, pending.number), invoiceId, user);
    }
    if (settled.status === 'cancelled') {
      // Accepted, then the invoice was edited before the decision reached the database: the edit won.
      throw await this.withCurrentStatus(
        new DomainError(409, `invoice ${pending.number} is not pending approval: it was edited while the decision was being recorded`), invoiceId, user);
    }
    return this.view(invoiceId, user);
  }

  /** A 409 says what the approval is now, so that the caller need not ask; other errors are left as they are. */
  private async withCurrentStatus(err: Error, invoiceId: string, user: AuthUser): Promise<Error> {
    if (!(err instanceof DomainError) || err.statusCode !== 409) return err;
    const current = await this.view(invoiceId, user).catch(() => undefined);
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
      const current = await m.getRepository(Invoice).findOneOrFail({ where: { id: invoice.id }, lock: { mode: 'pessimistic_write' } });
      const result = await this.approvalOnSave(m, invoice, { ...before, approvalStatus: current.approvalStatus, approvalDefinitionId: current.approvalDefinitionId }, editor);
      await m.getRepository(Invoice).update({ id: invoice.id }, result.fields);
      return result;
    });
    await this.signalCancelled(cancelled, editor);
    Object.assign(invoice, fields);
    return fields;
  }

  /** For the companies service: a downgrade to `essentials` is refused while this is true (PRODUCT §2). */
  async hasPendingApprovals(companyId: string, m: Pick<EntityManager, 'count'> = this.dataSource.manager): Promise<boolean> {
    return (await m.count(Invoice, { where: { companyId, approvalStatus: 'pending_approval' } })) > 0;
  }

  private async invoiceOf(invoiceId: string, user: AuthUser): Promise<Invoice> {
    const invoice = isUuid(invoiceId)
      ? await this.dataSource.getRepository(Invoice).findOneBy({ id: invoiceId, companyId: user.companyId })
      : null;
    if (!invoice) throw new DomainError(404, `invoice ${invoiceId} not found`);
    return invoice;
  }

  /**
   * What a submission starts from, in one statement: the invoice (404 unless the caller's company's), the definition
   * it was saved under if that is still an active invoice approval, and its customer (for the run's summary).
   */
  private async submissionFacts(invoiceId: string, user: AuthUser):
    Promise<{ invoice: Invoice; savedDefinition: WorkflowDefinition | null; customer: Customer | null }> {
    const found = isUuid(invoiceId)
      ? await this.dataSource.getRepository(Invoice).createQueryBuilder('i')
        .leftJoinAndMapOne('i.savedDefinition', WorkflowDefinition, 'd',
          'd.id = i.approvalDefinitionId AND d.companyId = i.companyId AND d.templateKey = :template AND d.status = :active',
          { template: INVOICE_APPROVAL_TEMPLATE, active: 'active' })
        .leftJoinAndMapOne('i.customer', Customer, 'c', 'c.id = i.customerId')
        .where('i.id = :id AND i.companyId = :companyId', { id: invoiceId, companyId: user.companyId })
        .getOne() as (Invoice & { savedDefinition?: WorkflowDefinition; customer?: Customer }) | null
      : null;
    if (!found) throw new DomainError(404, `invoice ${invoiceId} not found`);
    const { savedDefinition, customer, ...invoice } = found;
    return { invoice: Object.assign(new Invoice(), invoice), savedDefinition: savedDefinition ?? null, customer: customer ?? null };
  }

  /** The definition's plan, with only approvers and people to notify who still belong to the company. */
  private async planOf(definition: WorkflowDefinition, companyId: string): Promise<ApprovalPlan> {
    let plan: ApprovalPlan;
    try {
      plan = approvalPlan(definition.actions);
    } catch (err) {
      if (!(err instanceof ApprovalPlanError)) throw err;
      throw new DomainError(409, `the approval workflow "${definition.name}" (${definition.id}) cannot run: ${err.message}`);
    }
    const ids = [...new Set([...plan.steps.flatMap((s) => s.approverIds), ...plan.notifyUserIds])];
    const known = new Set((await this.sql.query<{ id: string }>(
      'SELECT id FROM users WHERE company_id = $1 AND id = ANY($2::uuid[])', [companyId, ids])).map((u) => u.id));
    const steps = plan.steps.map((s) => ({ approverIds: s.approverIds.filter((id) => known.has(id)) }));
    const empty = steps.findIndex((s) => s.approverIds.length === 0);
    if (empty >= 0) {
      throw new DomainError(409, `the approval workflow "${definition.name}" (${definition.id}) has no remaining approver for step ${empty + 1}; update its approvers`);
    }
    return { ...plan, steps, notifyUserIds: plan.notifyUserIds.filter((id) => known.has(id)) };
  }

  private async startWorkflow(
    invoice: Invoice, approval: Approval, plan: ApprovalPlan, user: AuthUser, definition: WorkflowDefinition, customer: Customer | null,
  ): Promise<void> {
    const input: InvoiceApprovalInput = {
      requestMessage: await this.requestMessage(definition, invoice, approval, user, customer),
      approvalId: approval.id,
      companyId: invoice.companyId,
      invoiceId: invoice.id,
      invoiceNumber: invoice.number,
      submission: approval.submission,
      creatorId: invoice.createdBy,
      steps: plan.steps,
      allowAdmins: plan.allowAdmins,
      timeout: plan.timeoutDays * DAY_MS,
      reminderLead: plan.reminderDaysBefore * DAY_MS,
      notifyUserIds: plan.notifyUserIds,
      push: plan.push,
    };
    const stepsText = plan.steps.length > 1 ? `${plan.steps.length} steps, ` : '';
    await this.temporal.workflow.start<InvoiceApprovalWorkflow>(workflowTypes.invoiceApproval, {
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
        `Submitted by: ${user.id}`,
        ...plan.steps.map((s, i) => `Step ${i + 1} approvers: ${s.approverIds.join(', ')}`),
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
    const [location, createdBy] = await Promise.all([
      invoice.locationId ? this.dataSource.getRepository(Location).findOneBy({ id: invoice.locationId }) : null,
      this.dataSource.getRepository(User).findOneBy({ id: invoice.createdBy }),
    ]);
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
    await this.dataSource.transaction(async (m) => {
      // The invoice's row lock first, then the approval's, as on every path that changes both.
      await m.query('SELECT id FROM invoices WHERE id = $1 FOR UPDATE', [approval.invoiceId]);
      await m.getRepository(Approval).update({ id: approval.id, status: 'pending' }, { status: 'cancelled', decidedAt: new Date() });
      await m.getRepository(Invoice).update({ id: approval.invoiceId, approvalStatus: 'pending_approval' }, { approvalStatus: previousStatus });
    });
  }

  /**
   * Marks the pending approvals of an invoice cancelled, so that a decision racing with the edit changes nothing.
   * Called with the invoice's row locked (the save's transaction), so the approval's lock comes second, as everywhere.
   */
  private async cancelPending(m: EntityManager, invoiceId: string, userId: string): Promise<string[]> {
    const pending = await m.getRepository(Approval).findBy({ invoiceId, status: 'pending' });
    for (const approval of pending) {
      await m.getRepository(Approval).update({ id: approval.id, status: 'pending' }, { status: 'cancelled', decidedAt: new Date() });
      await m.createQueryBuilder().insert().into(ApprovalDecision)
        .values({ approvalId: approval.id, step: approval.currentStep, decision: 'cancelled', userId, comment: 'invoice edited', decidedAt: new Date() })
        .orIgnore().execute();
    }
    return pending.map((a) => a.workflowId);
  }
}
