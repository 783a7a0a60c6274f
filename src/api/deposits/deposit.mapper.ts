import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { Deposit } from '../../db/entities';
import { dateTime, money, text, uuid } from '../common/api-docs';

@ApiSchema({ name: 'Deposit' })
export class DepositView {
  @ApiProperty(uuid) id!: string;
  @ApiProperty({ ...money, description: 'The sum of its payments' }) amount!: string;
  @ApiProperty(dateTime) depositedAt!: string;
  @ApiProperty(text) memo!: string;
  @ApiProperty({ type: 'array', items: { type: 'string', format: 'uuid' } }) paymentIds!: string[];
  @ApiProperty(dateTime) createdAt!: string;
}

export function toDepositView(d: Deposit, paymentIds: string[]): DepositView {
  return {
    id: d.id, amount: d.amount, depositedAt: d.depositedAt.toISOString(), memo: d.memo, paymentIds,
    createdAt: d.createdAt.toISOString(),
  };
}

export const depositExample: DepositView = {
  id: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e', amount: '750.00', depositedAt: '2026-12-11T10:00:00.000Z', memo: 'Deposit slip 0042',
  paymentIds: ['9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c60', '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e'], createdAt: '2026-12-11T10:02:00.000Z',
};
