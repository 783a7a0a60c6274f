import { Company } from '../../db/entities';

export function toCompanyView(c: Company, options: { withSecrets?: boolean } = {}) {
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
    ...(options.withSecrets ? { webhookSecret: c.webhookSecret } : {}),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}
