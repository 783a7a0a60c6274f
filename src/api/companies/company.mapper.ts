import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Company, Plan } from '../../db/entities';
import type { SendWindow } from '../../domain/send-window';
import { SUPPORTED_LOCALES } from '../../domain/locales';
import { canonicalTimezone, dateTime, money, nullable, text, uuid } from '../common/api-docs';
import { SendWindowDto } from './dto/company.dto';

@ApiSchema({ name: 'Company' })
export class CompanyView {
  @ApiProperty(uuid) id!: string;
  @ApiProperty({ ...text, example: 'Acme Inc.' }) name!: string;
  @ApiProperty({ enum: SUPPORTED_LOCALES, example: 'en-US' }) locale!: string;
  @ApiProperty(canonicalTimezone) timezone!: string;
  @ApiProperty({ ...text, example: 'CAD' }) currency!: string;
  @ApiProperty({ enum: ['advanced', 'essentials'] }) plan!: Plan;
  @ApiProperty({ ...nullable(text), example: null }) webhookUrl!: string | null;
  @ApiPropertyOptional({
    ...text, example: 'whsec_3q2+7w…',
    description: 'The new signing secret of the push notifications\' webhook, shown once: only in the answer to the PATCH that sets or '
      + 'moves `webhookUrl` (rotate it with POST /v1/webhook-endpoints/{id}/rotate-secret on the endpoint of `source` `company`)',
  })
  webhookSecret?: string;
  @ApiProperty({ ...nullable(money), example: null, description: 'invoices above this amount are decided through the API only, not from an approval email; null = no limit' })
  emailApprovalLimit!: string | null;
  @ApiProperty({ type: SendWindowDto, nullable: true, description: "when customer emails may go, in each customer's timezone; null: any time" })
  sendWindow!: SendWindow | null;
  @ApiProperty(dateTime) createdAt!: string;
  @ApiProperty(dateTime) updatedAt!: string;
}

export function toCompanyView(c: Company): CompanyView {
  return {
    id: c.id,
    name: c.name,
    locale: c.locale,
    timezone: c.timezone,
    currency: c.currency,
    plan: c.plan,
    webhookUrl: c.webhookUrl,
    emailApprovalLimit: c.emailApprovalLimit ?? null,
    sendWindow: c.sendWindow ?? null,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

export const companyExample: CompanyView = {
  id: '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f', name: 'Acme Inc.', locale: 'en-US', timezone: 'America/Toronto', currency: 'CAD',
  plan: 'advanced', webhookUrl: null, emailApprovalLimit: null, sendWindow: null, createdAt: '2026-11-28T12:00:00.000Z', updatedAt: '2026-11-28T12:00:00.000Z',
};
