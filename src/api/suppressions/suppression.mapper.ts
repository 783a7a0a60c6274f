import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { Suppression } from '../../db/suppressions.repository';
import { dateTime, email, nullable, text, uuid } from '../common/api-docs';

@ApiSchema({ name: 'Suppression' })
export class SuppressionView {
  @ApiProperty(uuid) id!: string;
  @ApiProperty({ ...email, description: 'Nothing is sent to this address (lower-case) while the suppression exists' }) address!: string;
  @ApiProperty({
    enum: ['bounce', 'complaint', 'soft_bounces'],
    description: 'bounce: a permanent failure (5.x.x); complaint: a feedback report (marked as spam); soft_bounces: three temporary failures (4.x.x) within 30 days',
  }) origin!: Suppression['origin'];
  @ApiProperty({ ...text, example: '5.1.1 smtp; 550 5.1.1 user unknown', description: 'What the report said' }) reason!: string;
  @ApiProperty({ ...nullable(text), description: 'The delivery whose report suppressed the address' }) deliveryKey!: string | null;
  @ApiProperty(dateTime) createdAt!: string;
}

export function toSuppressionView(s: Suppression): SuppressionView {
  return { id: s.id, address: s.address, origin: s.origin, reason: s.reason, deliveryKey: s.deliveryKey, createdAt: s.createdAt.toISOString() };
}

export const suppressionExample: SuppressionView = {
  id: '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', address: 'billing@globex.test', origin: 'bounce', reason: '5.1.1 smtp; 550 5.1.1 user unknown',
  deliveryKey: 'invoice-send|invoice:5c9d2e7f-1a3b-4c8d-9e0f-6a7b8c9d0e12|after:never', createdAt: '2026-12-01T14:03:11.123Z',
};
