import type { Sequence } from '../../domain/collection-sequence';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One version of a workflow definition: its content as saved (the current version's row follows the definition's edits until a new version is made). */
@Entity('workflow_definition_versions')
export class WorkflowDefinitionVersion {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'definition_id' }) definitionId!: string;
  @Column('uuid', { name: 'company_id' }) companyId!: string;
  @Column('integer') version!: number;
  @Column('text') name!: string;
  @Column('jsonb') conditions!: unknown[];
  @Column('jsonb') actions!: unknown[];
  @Column('jsonb', { nullable: true }) schedule!: { time: string } | null;
  @Column('jsonb', { nullable: true }) sequence!: Sequence | null;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy!: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
