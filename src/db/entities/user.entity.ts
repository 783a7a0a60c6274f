import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type Role = 'admin' | 'standard';
export type UserStatus = 'active' | 'inactive';

@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'company_id' }) companyId!: string;
  @Column('text') name!: string;
  @Column('text') email!: string;
  @Column('text') role!: Role;
  /** Inactive: deactivated (offboarded); its keys do not authenticate and no approval asks it. */
  @Column('text', { default: 'active' }) status!: UserStatus;
  /** The largest amount (decimal string) a step routed by limit may ask this user to approve; null: no limit. */
  @Column('numeric', { name: 'approval_limit', precision: 14, scale: 2, nullable: true }) approvalLimit!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
