import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { ApproverGroupWithMembers } from '../../db/approver-groups.repository';
import { dateTime, nullable, text, uuid } from '../common/api-docs';

@ApiSchema({ name: 'ApproverGroup' })
export class ApproverGroupView {
  @ApiProperty(uuid) id!: string;
  @ApiProperty(uuid) companyId!: string;
  @ApiProperty({ ...text, example: 'Finance' }) name!: string;
  @ApiProperty({ type: String, isArray: true, format: 'uuid', description: 'the members, first added first (those added at once by id)' }) memberIds!: string[];
  @ApiProperty({ ...nullable(uuid), description: 'the admin who created it' }) createdBy!: string | null;
  @ApiProperty(dateTime) createdAt!: string;
  @ApiProperty(dateTime) updatedAt!: string;
}

export function toApproverGroupView(g: ApproverGroupWithMembers): ApproverGroupView {
  return {
    id: g.id, companyId: g.companyId, name: g.name, memberIds: g.memberIds, createdBy: g.createdBy,
    createdAt: g.createdAt.toISOString(), updatedAt: g.updatedAt.toISOString(),
  };
}

export const approverGroupExample: ApproverGroupView = {
  id: '3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a6b', companyId: '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f', name: 'Finance',
  memberIds: ['0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'], createdBy: '1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a',
  createdAt: '2026-12-01T14:03:11.123Z', updatedAt: '2026-12-01T14:03:11.123Z',
};
