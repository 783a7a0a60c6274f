import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('tasks')
export class Task {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'company_id' }) companyId!: string;
  /** Null: the task waits in its candidate group until a member claims it (or someone assigns it). */
  @Column('uuid', { name: 'assignee_id', nullable: true }) assigneeId!: string | null;
  @Column('text') kind!: 'approval' | 'reminder' | 'manual';
  @Column('text') title!: string;
  @Column('text') description!: string;
  @Column('text') status!: 'open' | 'completed' | 'cancelled';
  @Column('text', { name: 'record_type', nullable: true }) recordType!: string | null;
  @Column('uuid', { name: 'record_id', nullable: true }) recordId!: string | null;
  @Column('uuid', { name: 'approval_id', nullable: true }) approvalId!: string | null;
  @Column('uuid', { name: 'definition_id', nullable: true }) definitionId!: string | null;
  /** Set by workflows so that a retried activity never opens a second task. */
  @Column('text', { name: 'idempotency_key', nullable: true }) idempotencyKey!: string | null;
  @Column('timestamptz', { name: 'due_at', nullable: true }) dueAt!: Date | null;
  /** The day it is due in the company's calendar; null with a dueAt: the day dueAt falls on in the company's zone. */
  @Column('date', { name: 'due_date', nullable: true }) dueDate!: string | null;
  @Column('date', { name: 'follow_up_date', nullable: true }) followUpDate!: string | null;
  @Column('uuid', { name: 'candidate_group_id', nullable: true }) candidateGroupId!: string | null;
  @Column('uuid', { name: 'claimed_by', nullable: true }) claimedBy!: string | null;
  @Column('timestamptz', { name: 'claimed_at', nullable: true }) claimedAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'completed_at', nullable: true }) completedAt!: Date | null;
  @Column('uuid', { name: 'completed_by', nullable: true }) completedBy!: string | null;
}
