import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { CustomersRepository } from '../../db/customers.repository';
import { Invoice, WorkflowDefinition } from '../../db/entities';
import { WorkflowDefinitionsRepository } from '../../db/workflow-definitions.repository';
import type { AuthUser } from '../auth/current-user.decorator';

/**
 * The signature of `evaluateConditions` in src/domain/conditions.ts (written on another branch): true when the record
 * meets every condition, dates counted in the company's timezone.
 */
export type EvaluateConditions = (
  recordType: 'invoice',
  conditions: unknown[],
  record: Record<string, unknown>,
  options: { timezone: string; now: Date },
) => boolean;

export const EVALUATE_CONDITIONS = Symbol('EVALUATE_CONDITIONS');

export const INVOICE_APPROVAL_TEMPLATE = 'invoice-approval';

export interface ApprovalRequirement {
  approvalStatus: 'approval_required' | 'not_required';
  approvalDefinitionId: string | null;
}

type InvoiceRecord = Pick<Invoice, 'companyId' | 'amount' | 'balance' | 'customerId' | 'locationId' | 'issueDate' | 'dueDate' | 'number'> & Partial<Invoice>;

/** First definition, oldest first, whose conditions the invoice meets; pure, for the matcher and its spec. */
export function firstMatchingDefinition(
  definitions: WorkflowDefinition[],
  invoice: InvoiceRecord,
  evaluate: EvaluateConditions,
  options: { timezone: string; now: Date },
  onError: (definition: WorkflowDefinition, err: Error) => void = () => undefined,
): WorkflowDefinition | null {
  const ordered = [...definitions].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  return ordered.find((d) => {
    try {
      return evaluate('invoice', d.conditions ?? [], invoice as Record<string, unknown>, options);
    } catch (err) {
      // Conditions are validated when a definition is saved; one that no longer evaluates must not block saving invoices.
      onError(d, err as Error);
      return false;
    }
  }) ?? null;
}

/**
 * Says whether an invoice saved by a user needs approval: only invoices saved by `standard` users, on the
 * `advanced` plan, that match an active `invoice-approval` definition of their company.
 */
@Injectable()
export class ApprovalMatcher {
  private readonly logger = new Logger(ApprovalMatcher.name);

  constructor(
    @InjectRepository(WorkflowDefinition) private readonly definitions: Repository<WorkflowDefinition>,
    @Inject(EVALUATE_CONDITIONS) private readonly evaluate: EvaluateConditions,
  ) {}

  /**
   * `m` is the caller's transaction, when it has one: a save that holds a connection (and the invoice's row lock) and
   * asked the pool for a second one would wait forever once every connection is held by such a save.
   */
  async activeDefinitions(companyId: string, m: EntityManager = this.definitions.manager): Promise<WorkflowDefinition[]> {
    return new WorkflowDefinitionsRepository(m).findActive(companyId, INVOICE_APPROVAL_TEMPLATE);
  }

  async matchingDefinition(
    invoice: InvoiceRecord, company: AuthUser['company'], now = new Date(), m: EntityManager = this.definitions.manager,
  ): Promise<WorkflowDefinition | null> {
    if (company.plan !== 'advanced') return null;
    const definitions = await this.activeDefinitions(invoice.companyId, m);
    if (definitions.length === 0) return null;
    const record = definitions.some((d) => (d.conditions as { field?: string }[]).some((c) => c?.field === 'customerGroup'))
      ? { ...invoice, customerGroup: await new CustomersRepository(m).findGroup(invoice.customerId) }
      : invoice;
    return firstMatchingDefinition(definitions, record, this.evaluate, { timezone: company.timezone, now },
      (d, err) => this.logger.error(`invoice-approval definition ${d.id} could not be evaluated, treated as not matching: ${err.message}`));
  }

  async requirement(
    invoice: InvoiceRecord, savedBy: Pick<AuthUser, 'role' | 'company'>, now = new Date(), m: EntityManager = this.definitions.manager,
  ): Promise<ApprovalRequirement> {
    if (savedBy.role !== 'standard') return { approvalStatus: 'not_required', approvalDefinitionId: null };
    const definition = await this.matchingDefinition(invoice, savedBy.company, now, m);
    return definition
      ? { approvalStatus: 'approval_required', approvalDefinitionId: definition.id }
      : { approvalStatus: 'not_required', approvalDefinitionId: null };
  }
}
