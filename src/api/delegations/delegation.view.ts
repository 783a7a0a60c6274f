import { ApiProperty } from '@nestjs/swagger';
import type { DelegationRow } from '../../db/delegations.repository';

export class DelegationView {
  @ApiProperty({ type: String, format: 'uuid' }) delegatorId!: string;
  @ApiProperty({ type: String, format: 'uuid' }) delegateId!: string;
  @ApiProperty({ type: String, description: "the delegate's name" }) delegateName!: string;
  @ApiProperty({ type: String, format: 'date-time' }) from!: string;
  @ApiProperty({ type: String, format: 'date-time' }) until!: string;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ type: Boolean, description: 'whether the delegate receives your approval requests right now' }) active!: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: string;
}

export function toDelegationView(d: DelegationRow, now: Date): DelegationView {
  return {
    delegatorId: d.delegatorId,
    delegateId: d.delegateId,
    delegateName: d.delegateName,
    from: d.from.toISOString(),
    until: d.until.toISOString(),
    note: d.note,
    active: d.from <= now && now < d.until,
    updatedAt: d.updatedAt.toISOString(),
  };
}
