import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { APPROVAL_STATUSES, ApprovalStatus, Bill } from '../../db/entities';
import { date, dateTime, money, nullable, text, uuid } from '../common/api-docs';

@ApiSchema({ name: 'Bill' })
export class BillView {
  @ApiProperty(uuid) id!: string;
  @ApiProperty(uuid) vendorId!: string;
  @ApiProperty(nullable(uuid)) locationId!: string | null;
  @ApiProperty({ ...nullable(text), description: 'The vendor\'s reference', example: 'V-88213' }) number!: string | null;
  @ApiProperty(money) amount!: string;
  @ApiProperty({ ...money, description: 'What is left to pay' }) balance!: string;
  @ApiProperty(nullable(date)) issueDate!: string | null;
  @ApiProperty(date) dueDate!: string;
  @ApiProperty(nullable(dateTime)) paidAt!: string | null;
  @ApiProperty(text) memo!: string;
  @ApiProperty({ ...nullable(uuid), description: 'Who recorded the bill; null for bills recorded before bills needed approval' }) createdBy!: string | null;
  @ApiProperty({ enum: APPROVAL_STATUSES, description: 'Only a not_required or approved bill can be paid' }) approvalStatus!: ApprovalStatus;
  @ApiProperty(dateTime) createdAt!: string;
  @ApiProperty(dateTime) updatedAt!: string;
}

export function toBillView(b: Bill): BillView {
  return {
    id: b.id, vendorId: b.vendorId, locationId: b.locationId, number: b.number, amount: b.amount, balance: b.balance,
    issueDate: b.issueDate, dueDate: b.dueDate, paidAt: b.paidAt ? b.paidAt.toISOString() : null, memo: b.memo,
    createdBy: b.createdBy, approvalStatus: b.approvalStatus, createdAt: b.createdAt.toISOString(), updatedAt: b.updatedAt.toISOString(),
  };
}

export const billExample: BillView = {
  id: 'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a50', vendorId: '8d2b6f3e-0c4a-4e7b-b1d9-5a3c7e2f9b10', locationId: null,
  number: 'V-88213', amount: '480.00', balance: '480.00', issueDate: '2026-12-01', dueDate: '2026-12-15', paidAt: null,
  memo: 'Office supplies', createdBy: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', approvalStatus: 'not_required', createdAt: '2026-12-01T14:03:11.123Z', updatedAt: '2026-12-01T14:03:11.123Z',
};
