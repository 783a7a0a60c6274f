import type { ApprovalStatus } from './invoice.entity';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('bills')
export class Bill {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'company_id' }) companyId!: string;
  @Column('uuid', { name: 'vendor_id' }) vendorId!: string;
  @Column('uuid', { name: 'location_id', nullable: true }) locationId!: string | null;
  @Column('text', { nullable: true }) number!: string | null;
  @Column('numeric', { precision: 14, scale: 2 }) amount!: string;
  @Column('numeric', { precision: 14, scale: 2 }) balance!: string;
  @Column('date', { name: 'issue_date', nullable: true }) issueDate!: string | null;
  @Column('date', { name: 'due_date' }) dueDate!: string;
  @Column('timestamptz', { name: 'paid_at', nullable: true }) paidAt!: Date | null;
  @Column('text') memo!: string;
  /** Null for bills recorded before bills needed approval. */
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy!: string | null;
  @Column('text', { name: 'approval_status' }) approvalStatus!: ApprovalStatus;
  @Column('uuid', { name: 'approval_definition_id', nullable: true }) approvalDefinitionId!: string | null;
  @Column('integer', { name: 'approval_submissions' }) approvalSubmissions!: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
