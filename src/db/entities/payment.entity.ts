import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('payments')
export class Payment {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'company_id' }) companyId!: string;
  @Column('uuid', { name: 'invoice_id' }) invoiceId!: string;
  @Column('uuid', { name: 'customer_id' }) customerId!: string;
  @Column('numeric', { precision: 14, scale: 2 }) amount!: string;
  @Column('timestamptz', { name: 'received_at' }) receivedAt!: Date;
  @Column('timestamptz', { name: 'deposited_at', nullable: true }) depositedAt!: Date | null;
  @Column('uuid', { name: 'deposit_id', nullable: true }) depositId!: string | null;
  @Column('text', { nullable: true }) method!: string | null;
  /** Null until the payment's automations are handed to Temporal (see src/api/reminders/payment-events.ts). */
  @Column('timestamptz', { name: 'events_dispatched_at', nullable: true }) eventsDispatchedAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

/** A bank deposit groups undeposited payments. */
@Entity('deposits')
export class Deposit {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'company_id' }) companyId!: string;
  @Column('numeric', { precision: 14, scale: 2 }) amount!: string;
  @Column('timestamptz', { name: 'deposited_at' }) depositedAt!: Date;
  @Column('text') memo!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
