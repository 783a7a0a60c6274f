import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { APPROVAL_STATUSES, ApprovalStatus, Invoice } from '../../db/entities';
import { promiseGraceUntil } from '../../domain/answers';
import { date, dateTime, money, nullable, text, uuid } from '../common/api-docs';

@ApiSchema({ name: 'InvoiceDispute' })
export class InvoiceDisputeView {
  @ApiProperty(dateTime) openedAt!: string;
  @ApiProperty({ ...text, description: 'What the customer wrote, as plain text' }) reason!: string;
}

@ApiSchema({ name: 'InvoicePromise' })
export class InvoicePromiseView {
  @ApiProperty({ ...date, description: 'The day the customer promised to pay' }) payOn!: string;
  @ApiProperty({ ...date, description: 'Reminders stay paused through this day (payOn + 2); unpaid after it, the promise is broken and the next step goes' })
  graceUntil!: string;
}

@ApiSchema({ name: 'Invoice' })
export class InvoiceView {
  @ApiProperty(uuid) id!: string;
  @ApiProperty({ ...text, example: 'INV-1042', description: 'Unique within the company' }) number!: string;
  @ApiProperty(uuid) customerId!: string;
  @ApiProperty(nullable(uuid)) locationId!: string | null;
  @ApiProperty(money) amount!: string;
  @ApiProperty({ ...money, description: 'What is left to pay' }) balance!: string;
  @ApiProperty(date) issueDate!: string;
  @ApiProperty(date) dueDate!: string;
  @ApiProperty(text) memo!: string;
  @ApiProperty({ ...nullable(text), description: 'Set by workflows (e.g. "PAST DUE")' }) stamp!: string | null;
  @ApiProperty(nullable(dateTime)) sentAt!: string | null;
  @ApiProperty(uuid) createdBy!: string;
  @ApiProperty({ enum: APPROVAL_STATUSES }) approvalStatus!: ApprovalStatus;
  @ApiProperty({ type: InvoiceDisputeView, nullable: true, description: "The customer's open dispute: reminders stop until POST /v1/invoices/{id}/dispute/resolve" })
  dispute!: InvoiceDisputeView | null;
  @ApiProperty({ type: InvoicePromiseView, nullable: true, description: "The customer's current promise to pay: reminders pause until its graceUntil" })
  promise!: InvoicePromiseView | null;
  @ApiProperty(dateTime) createdAt!: string;
  @ApiProperty(dateTime) updatedAt!: string;
}

/**
 * An invoice as the API shows it. Postgres keeps the same JSON in `invoices.view_json` (InvoiceViewJson migration),
 * which the list, GET and create serve; test/integration/invoice-view-json.test.ts holds the two to each other.
 */
export function toInvoiceView(i: Invoice): InvoiceView {
  return {
    id: i.id,
    number: i.number,
    customerId: i.customerId,
    locationId: i.locationId,
    amount: i.amount,
    balance: i.balance,
    issueDate: i.issueDate,
    dueDate: i.dueDate,
    memo: i.memo,
    stamp: i.stamp,
    sentAt: i.sentAt ? i.sentAt.toISOString() : null,
    createdBy: i.createdBy,
    approvalStatus: i.approvalStatus,
    dispute: i.disputedAt ? { openedAt: i.disputedAt.toISOString(), reason: i.disputeReason ?? '' } : null,
    promise: i.promisedOn ? { payOn: i.promisedOn, graceUntil: promiseGraceUntil(i.promisedOn) } : null,
    createdAt: i.createdAt.toISOString(),
    updatedAt: i.updatedAt.toISOString(),
  };
}

export const invoiceExample: InvoiceView = {
  id: '5c9d2e7f-1a3b-4c8d-9e0f-6a7b8c9d0e12', number: 'INV-1042', customerId: '3f0e1c9a-5b2d-4c1e-9a7f-2d6b8e4c1a00',
  locationId: null, amount: '1250.00', balance: '1250.00', issueDate: '2026-12-01', dueDate: '2026-12-31',
  memo: 'Thank you for your business.', stamp: null, sentAt: null, createdBy: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  approvalStatus: 'not_required', dispute: null, promise: null, createdAt: '2026-12-01T14:03:11.123Z', updatedAt: '2026-12-01T14:03:11.123Z',
};
