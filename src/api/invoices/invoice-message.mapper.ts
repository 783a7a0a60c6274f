import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { InvoiceMessage } from '../../db/invoice-messages.repository';
import { dateTime, nullable, text, uuid } from '../common/api-docs';

@ApiSchema({ name: 'InvoiceMessage' })
export class InvoiceMessageView {
  @ApiProperty(uuid) id!: string;
  @ApiProperty({ enum: ['out', 'in'], description: 'out: sent to the customer; in: what came back' }) direction!: 'out' | 'in';
  @ApiProperty({ ...text, example: 'reply', description: 'What it is: a reminder, the invoice, a statement going out; a reply, an auto_reply, a bounce coming in' })
  kind!: string;
  @ApiProperty({ ...nullable(text), description: 'The delivery it went out as, or that it answers' }) deliveryKey!: string | null;
  @ApiProperty({ ...nullable(text), example: 'billing@globex.test' }) from!: string | null;
  @ApiProperty({ ...nullable(text), example: 'billing@acme.test' }) to!: string | null;
  @ApiProperty({ ...text, example: 'Re: Invoice INV-1042 is overdue' }) subject!: string;
  @ApiProperty({ ...text, example: 'We paid by wire on Tuesday.', description: 'Plain text only: what came in is never kept or answered as its HTML' })
  text!: string;
  @ApiProperty(dateTime) createdAt!: string;
}

export function toInvoiceMessageView(m: InvoiceMessage): InvoiceMessageView {
  return {
    id: m.id, direction: m.direction, kind: m.kind, deliveryKey: m.deliveryKey, from: m.fromAddress, to: m.toAddress, subject: m.subject,
    text: m.bodyText, createdAt: m.createdAt.toISOString(),
  };
}

export const invoiceMessageExample: InvoiceMessageView = {
  id: '6d7e8f9a-0b1c-4d2e-8f3a-4b5c6d7e8f9a', direction: 'in', kind: 'reply', deliveryKey: 'collection|invoice:5c9d2e7f-1a3b-4c8d-9e0f-6a7b8c9d0e12|step-1',
  from: 'billing@globex.test', to: null, subject: 'Re: Invoice INV-1042 is overdue', text: 'We paid by wire on Tuesday.', createdAt: '2026-12-02T09:30:00.000Z',
};
