import type { SendWindow } from '../../domain/send-window';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type Plan = 'advanced' | 'essentials';

@Entity('companies')
export class Company {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('text') locale!: string;
  @Column('text') timezone!: string;
  @Column('char', { length: 3 }) currency!: string;
  @Column('text') plan!: Plan;
  @Column('text', { name: 'webhook_url', nullable: true }) webhookUrl!: string | null;
  /** Invoices above this amount are not decided from an approval email; null = no limit. */
  @Column('numeric', { name: 'email_approval_limit', precision: 14, scale: 2, nullable: true }) emailApprovalLimit!: string | null;
  /** When customer emails may go, in each customer's timezone; null: any time. */
  @Column('jsonb', { name: 'send_window', nullable: true }) sendWindow!: SendWindow | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
