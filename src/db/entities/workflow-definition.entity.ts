import type { Sequence } from '../../domain/collection-sequence';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type DefinitionStatus = 'draft' | 'active' | 'inactive';

@Entity('workflow_definitions')
export class WorkflowDefinition {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'company_id' }) companyId!: string;
  @Column('text', { name: 'template_key' }) templateKey!: string;
  @Column('text') name!: string;
  @Column('text') status!: DefinitionStatus;
  /** 1 when created; an edit of an active approval definition makes the next one (a run keeps the one it started with). */
  @Column('integer', { default: 1 }) version!: number;
  /** `[{ field, op, value }]`, all must hold; shape checked by src/domain before saving. */
  @Column('jsonb') conditions!: unknown[];
  @Column('jsonb') actions!: unknown[];
  /** `{ time: "HH:MM" }` for scheduled templates, null for event-driven ones. */
  @Column('jsonb', { nullable: true }) schedule!: { time: string } | null;
  /** `collection-sequence`: `{ steps, catchUp }`, checked by src/domain before saving; null for other templates. */
  @Column('jsonb', { nullable: true }) sequence!: Sequence | null;
  @Column('text') locale!: string;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
