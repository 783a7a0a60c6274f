import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('customers')
export class Customer {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'company_id' }) companyId!: string;
  @Column('text') name!: string;
  @Column('text', { nullable: true }) email!: string | null;
  @Column('text', { name: 'customer_group', nullable: true }) group!: string | null;
  /** False once the customer unsubscribed (or was excluded): no reminder reaches them; transactional mail still does. */
  @Column('boolean', { name: 'reminders_enabled', default: true }) remindersEnabled!: boolean;
  /** IANA zone of the customer's send window; null: the company's. */
  @Column('text', { nullable: true }) timezone!: string | null;
  /** IETF tag of the customer's emails and pages; null: the company's. */
  @Column('text', { nullable: true }) locale!: string | null;
  /** Set by what came back: bounced (suppressed by bounces) or complained; ok again when the suppression goes or the address changes. */
  @Column('text', { name: 'email_status', default: 'ok' }) emailStatus!: 'ok' | 'bounced' | 'complained';
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

@Entity('vendors')
export class Vendor {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'company_id' }) companyId!: string;
  @Column('text') name!: string;
  @Column('text', { nullable: true }) email!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

@Entity('locations')
export class Location {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'company_id' }) companyId!: string;
  @Column('text') name!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
