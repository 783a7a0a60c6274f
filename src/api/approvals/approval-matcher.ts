import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { CustomersRepository } from '../../db/customers.repository';
import { Bill, Invoice, WorkflowDefinition } from '../../db/entities';
import { WorkflowDefinitionsRepository } from '../../db/workflow-definitions.repository';
import type { AuthUser } from '../auth/current-user.decorator';

/** The documents that need approval, each watched by its own template. */
export type ApprovalRecordType = 'invoice' | 'bill';

/**
 * The signature of `evaluateConditions` in src/domain/conditions.ts: true when the record meets every condition,
 * dates counted in the company's timezone.
 */
export type EvaluateConditions = (
  recordType: ApprovalRecordType,
  conditions: unknown[],
  record: Record<string, unknown>,
  options: { timezone: string; now: Date },
) => boolean;

export const EVALUATE_CONDITIONS = Symbol('EVALUATE_CONDITIONS');

export const APPROVAL_TEMPLATES = { invoice: 'invoice-approval', bill: 'bill-approval' } as const satisfies Record<ApprovalRecordType, string>;
export const INVOICE_APPROVAL_TEMPLATE = APPROVAL_TEMPLATES.invoice;
export const BILL_APPROVAL_TEMPLATE = APPROVAL_TEMPLATES.bill;

export interface ApprovalRequirement {
  approvalStatus: 'approval_required' | 'not_required';
  approvalDefinitionId: string | null;
}

type InvoiceRecord = Pick<Invoice, 'companyId' | 'amount' | 'balance' | 'customerId' | 'locationId' | 'issueDate' | 'dueDate' | 'number'> & Partial<Invoice>
  & { customerGroup?: string | null };
type BillRecord = Pick<Bill, 'companyId' | 'amount' | 'balance' | 'vendorId' | 'locationId' | 'dueDate'> & Partial<Bill>;
/** A document as its definitions' conditions read it. */
export type ApprovalRecord = { kind: 'invoice'; record: InvoiceRecord } | { kind: 'bill'; record: BillRecord };

/** First definition, oldest first, whose conditions the record meets; pure, for the matcher and its spec. */
export function firstMatchingDefinition(
  definitions: WorkflowDefinition[],
  { kind, record }: ApprovalRecord,
  evaluate: EvaluateConditions,
  options: { timezone: string; now: Date },
  onError: (definition: WorkflowDefinition, err: Error) => void = () => undefined,
): WorkflowDefinition | null {
  const ordered = [...definitions].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  return ordered.find((d) => {
    try {
      return evaluate(kind, d.conditions ?? [], record as Record<string, unknown>, options);
    } catch (err) {
      // Conditions are validated when a definition is saved; one that no longer evaluates must not block saving documents.
      onError(d, err as Error);
      return false;
    }
  }) ?? null;
}

/**
 * Says whether a document saved by a user needs approval: only documents saved by `standard` users, on the
 * `advanced` plan, that match an active definition of their kind's template (`invoice-approval`, `bill-approval`).
 */
@Injectable()
export class ApprovalMatcher {
  private readonly logger = new Logger(ApprovalMatcher.name);

  constructor(
    @InjectRepository(WorkflowDefinition) private readonly definitions: Repository<WorkflowDefinition>,
    @Inject(EVALUATE_CONDITIONS) private readonly evaluate: EvaluateConditions,
  ) {}

  /**
   * `m` is the caller's transaction, when it has one: a save that holds a connection (and the document's row lock) and
   * asked the pool for a second one would wait forever once every connection is held by such a save.
   */
  async activeDefinitions(companyId: string, m: EntityManager = this.definitions.manager, kind: ApprovalRecordType = 'invoice'): Promise<WorkflowDefinition[]> {
    return new WorkflowDefinitionsRepository(m).findActive(companyId, APPROVAL_TEMPLATES[kind]);
  }

  /** The invoice's matching definition (see `matchingDefinitionOf`). */
  matchingDefinition(
    invoice: InvoiceRecord, company: AuthUser['company'], now = new Date(), m: EntityManager = this.definitions.manager,
  ): Promise<WorkflowDefinition | null> {
    return this.matchingDefinitionOf({ kind: 'invoice', record: invoice }, company, now, m);
  }

  async matchingDefinitionOf(
    document: ApprovalRecord, company: AuthUser['company'], now = new Date(), m: EntityManager = this.definitions.manager,
  ): Promise<WorkflowDefinition | null> {
    if (company.plan !== 'advanced') return null;
    const definitions = await this.activeDefinitions(document.record.companyId, m, document.kind);
    if (definitions.length === 0) return null;
    let record = document;
    if (document.kind === 'invoice' && definitions.some((d) => (d.conditions as { field?: string }[]).some((c) => c?.field === 'customerGroup'))) {
      record = { kind: 'invoice', record: { ...document.record, customerGroup: await new CustomersRepository(m).findGroup(document.record.customerId) } };
    }
    return firstMatchingDefinition(definitions, record, this.evaluate, { timezone: company.timezone, now },
      (d, err) => this.logger.error(`${APPROVAL_TEMPLATES[document.kind]} definition ${d.id} could not be evaluated, treated as not matching: ${err.message}`));
  }

  /** The invoice's requirement (see `requirementOf`). */
  requirement(
    invoice: InvoiceRecord, savedBy: Pick<AuthUser, 'role' | 'company'>, now = new Date(), m: EntityManager = this.definitions.manager,
  ): Promise<ApprovalRequirement> {
    return this.requirementOf({ kind: 'invoice', record: invoice }, savedBy, now, m);
  }

  async requirementOf(
    document: ApprovalRecord, savedBy: Pick<AuthUser, 'role' | 'company'>, now = new Date(), m: EntityManager = this.definitions.manager,
  ): Promise<ApprovalRequirement> {
    if (savedBy.role !== 'standard') return { approvalStatus: 'not_required', approvalDefinitionId: null };
    const definition = await this.matchingDefinitionOf(document, savedBy.company, now, m);
    return definition
      ? { approvalStatus: 'approval_required', approvalDefinitionId: definition.id }
      : { approvalStatus: 'not_required', approvalDefinitionId: null };
  }
}
