import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('idempotency_keys')
export class IdempotencyKey {
  @PrimaryColumn('uuid', { name: 'company_id' }) companyId!: string;
  @PrimaryColumn('uuid', { name: 'user_id' }) userId!: string;
  @PrimaryColumn('text') key!: string;
  @Column('text') method!: string;
  @Column('text') path!: string;
  @Column('char', { name: 'request_hash', length: 64 }) requestHash!: string;
  @Column('integer', { name: 'status_code', nullable: true }) statusCode!: number | null;
  /** The answer's JSON, sealed (SecretBox, 'idempotent-response'). */
  @Column('text', { nullable: true }) response!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
