import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { Customer } from '../../db/entities';
import type { EmailStatus } from '../../domain/email-status';
import { SUPPORTED_LOCALES } from '../../domain/locales';
import { canonicalTimezone, dateTime, nullable, text, uuid } from '../common/api-docs';

@ApiSchema({ name: 'Customer' })
export class CustomerView {
  @ApiProperty(uuid) id!: string;
  @ApiProperty({ ...text, example: 'Globex Corporation' }) name!: string;
  @ApiProperty({ ...nullable(text), format: 'email', example: 'billing@globex.test' }) email!: string | null;
  @ApiProperty({ ...nullable(text), example: 'wholesale' }) group!: string | null;
  @ApiProperty({ type: Boolean, description: 'false once the customer opted out of reminders (their unsubscribe link, or a PATCH)' }) remindersEnabled!: boolean;
  @ApiProperty({ ...nullable(canonicalTimezone), description: "IANA timezone of the send window; null: the company's" }) timezone!: string | null;
  @ApiProperty({ enum: [...SUPPORTED_LOCALES], nullable: true, type: String, description: "IETF tag of the customer's emails and pages; null: the company's" })
  locale!: string | null;
  @ApiProperty({
    enum: ['ok', 'bounced', 'complained'],
    description: 'Read-only. bounced: mail to the address failed for good (or three times within 30 days) and it is suppressed; complained: '
      + 'the customer marked a reminder as spam (suppressed, and opted out). ok again once the suppression is deleted or the address changes',
  })
  emailStatus!: EmailStatus;
  @ApiProperty(dateTime) createdAt!: string;
  @ApiProperty(dateTime) updatedAt!: string;
}

export function toCustomerView(c: Customer): CustomerView {
  return {
    id: c.id, name: c.name, email: c.email, group: c.group, remindersEnabled: c.remindersEnabled, timezone: c.timezone,
    locale: c.locale, emailStatus: c.emailStatus,
    createdAt: c.createdAt.toISOString(), updatedAt: c.updatedAt.toISOString(),
  };
}

export const customerExample: CustomerView = {
  id: '3f0e1c9a-5b2d-4c1e-9a7f-2d6b8e4c1a00', name: 'Globex Corporation', email: 'billing@globex.test', group: 'wholesale', remindersEnabled: true, timezone: null,
  locale: null, emailStatus: 'ok',
  createdAt: '2026-11-28T12:00:00.000Z', updatedAt: '2026-11-28T12:00:00.000Z',
};
