import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { Payment } from '../../db/entities';
import { dateTime, money, nullable, text, uuid } from '../common/api-docs';

@ApiSchema({ name: 'Payment' })
export class PaymentView {
  @ApiProperty(uuid) id!: string;
  @ApiProperty(uuid) invoiceId!: string;
  @ApiProperty(uuid) customerId!: string;
  @ApiProperty(money) amount!: string;
  @ApiProperty(dateTime) receivedAt!: string;
  @ApiProperty(nullable(dateTime)) depositedAt!: string | null;
  @ApiProperty(nullable(uuid)) depositId!: string | null;
  @ApiProperty({ ...nullable(text), example: 'check' }) method!: string | null;
  @ApiProperty(dateTime) createdAt!: string;
}

export function toPaymentView(p: Payment): PaymentView {
  return {
    id: p.id, invoiceId: p.invoiceId, customerId: p.customerId, amount: p.amount, receivedAt: p.receivedAt.toISOString(),
    depositedAt: p.depositedAt ? p.depositedAt.toISOString() : null, depositId: p.depositId, method: p.method,
    createdAt: p.createdAt.toISOString(),
  };
}

export const paymentExample: PaymentView = {
  id: '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c60', invoiceId: '5c9d2e7f-1a3b-4c8d-9e0f-6a7b8c9d0e12',
  customerId: '3f0e1c9a-5b2d-4c1e-9a7f-2d6b8e4c1a00', amount: '250.00', receivedAt: '2026-12-10T15:30:00.000Z',
  depositedAt: null, depositId: null, method: 'check', createdAt: '2026-12-10T15:31:02.456Z',
};
