import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export interface ApprovalStep {
  approverIds: string[];
  groupIds?: string[];
  routing?: 'limit';
  required?: number;
  escalateAfterDays?: number;
  escalateToId?: string;
}

/**
 * One submission of a document for approval: one Temporal run, `invoice-approval-<invoiceId>-<submission>` or
 * `bill-approval-<billId>-<submission>`.
 */
@Entity('approvals')
export class Approval {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'company_id' }) companyId!: string;
  @Column('text', { name: 'record_type', default: 'invoice' }) recordType!: 'invoice' | 'bill';
  /** Set for an invoice's approval (record_type invoice), null for a bill's. */
  @Column('uuid', { name: 'invoice_id', nullable: true }) invoiceId!: string | null;
  @Column('uuid', { name: 'bill_id', nullable: true }) billId!: string | null;
  /** The definition's version when the run started; null for runs started before definitions had versions. */
  @Column('integer', { name: 'definition_version', nullable: true }) definitionVersion!: number | null;
  @Column('integer') submission!: number;
  @Column('uuid', { name: 'definition_id', nullable: true }) definitionId!: string | null;
  @Column('text', { name: 'workflow_id' }) workflowId!: string;
  @Column('text', { name: 'run_id', nullable: true }) runId!: string | null;
  @Column('text') status!: 'pending' | 'approved' | 'rejected' | 'cancelled';
  @Column('jsonb') steps!: ApprovalStep[];
  @Column('integer', { name: 'current_step' }) currentStep!: number;
  @Column('boolean', { name: 'allow_admins' }) allowAdmins!: boolean;
  @Column('timestamptz') deadline!: Date;
  @Column('uuid', { name: 'submitted_by' }) submittedBy!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'decided_at', nullable: true }) decidedAt!: Date | null;
}

@Entity('approval_decisions')
export class ApprovalDecision {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'approval_id' }) approvalId!: string;
  @Column('integer') step!: number;
  /** `seat_lost`: the user lost their seat of a waiting step (removed from its group, limit lowered, deactivated). */
  @Column('text') decision!: 'approved' | 'rejected' | 'timeout' | 'cancelled' | 'escalated' | 'seat_lost';
  @Column('uuid', { name: 'user_id', nullable: true }) userId!: string | null;
  @Column('text', { nullable: true }) comment!: string | null;
  @Column('timestamptz', { name: 'decided_at' }) decidedAt!: Date;
  /** False for an approval short of the step's quorum and for `escalated`: the step stays open. */
  @Column('boolean', { name: 'closes_step', default: true }) closesStep!: boolean;
  @Column('uuid', { name: 'on_behalf_of', nullable: true }) onBehalfOf!: string | null;
  @Column('text', { nullable: true }) via!: 'api' | 'email' | null;
}
