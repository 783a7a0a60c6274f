import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('idempotency_keys')
export class IdempotencyKey {
  @PrimaryColumn('uuid', { name: 'company_id' }) companyId!: string;
  @PrimaryColumn('text') key!: string;
  @Column('text') method!: string;
  @Column('text') path!: string;
  @Column('char', { name: 'request_hash', length: 64 }) requestHash!: string;
  @Column('integer', { name: 'status_code', nullable: true }) statusCode!: number | null;
  @Column('jsonb', { nullable: true }) response!: unknown;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
