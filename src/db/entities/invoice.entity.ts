import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const APPROVAL_STATUSES = ['not_required', 'approval_required', 'pending_approval', 'approved', 'rejected'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

/** Money columns are numeric(14,2) and stay decimal strings ("1250.00") end to end. */
@Entity('invoices')
export class Invoice {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'company_id' }) companyId!: string;
  @Column('text') number!: string;
  @Column('uuid', { name: 'customer_id' }) customerId!: string;
  @Column('uuid', { name: 'location_id', nullable: true }) locationId!: string | null;
  @Column('numeric', { precision: 14, scale: 2 }) amount!: string;
  @Column('numeric', { precision: 14, scale: 2 }) balance!: string;
  /** Calendar days, YYYY-MM-DD. */
  @Column('date', { name: 'issue_date' }) issueDate!: string;
  @Column('date', { name: 'due_date' }) dueDate!: string;
  @Column('text') memo!: string;
  @Column('text', { nullable: true }) stamp!: string | null;
  @Column('timestamptz', { name: 'sent_at', nullable: true }) sentAt!: Date | null;
  @Column('uuid', { name: 'created_by' }) createdBy!: string;
  @Column('text', { name: 'approval_status' }) approvalStatus!: ApprovalStatus;
  @Column('uuid', { name: 'approval_definition_id', nullable: true }) approvalDefinitionId!: string | null;
  @Column('integer', { name: 'approval_submissions' }) approvalSubmissions!: number;
  /** Reminders paused (by a user) since then, through the day before `remindersPausedUntil` (or until resumed). */
  @Column('timestamptz', { name: 'reminders_paused_at', nullable: true }) remindersPausedAt!: Date | null;
  @Column('date', { name: 'reminders_paused_until', nullable: true }) remindersPausedUntil!: string | null;
  @Column('text', { name: 'reminders_pause_reason', nullable: true }) remindersPauseReason!: string | null;
  /** The open dispute (the customer's, from a reminder's answer page): reminders stop until it is resolved. */
  @Column('timestamptz', { name: 'disputed_at', nullable: true }) disputedAt!: Date | null;
  @Column('text', { name: 'dispute_reason', nullable: true }) disputeReason!: string | null;
  /** The day the customer promised to pay: reminders pause until two days past it. */
  @Column('date', { name: 'promised_on', nullable: true }) promisedOn!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
