import type { DataSource } from 'typeorm';
import type { Activities } from '../contracts';
import { createApprovalActivities } from './approval.activities';
import type { ReplyAddressKeys } from './channels/verp';
import { createDeliveryActivities } from './delivery.activities';
import { createDiagnosticsActivities } from './diagnostics.activities';
import type { Mailer } from '../infra/mailer';
import type { SecretBox } from '../infra/secret-box';
import { createSweepActivities } from './sweep.activities';
import { createWebhookActivities } from './webhook.activities';

export interface ActivityDeps {
  dataSource: DataSource;
  mailer: Mailer;
  /** Where the API is reached from outside (PUBLIC_URL): approval emails link to its decision page, reminder emails
   * to their unsubscribe page. */
  publicUrl?: string;
  /** Test-only fault injection read from RELANCE_FAULT_INJECT by the worker (see delivery.activities.ts). */
  faultInject?: string;
  /** RELANCE_WEBHOOK_ALLOW_PRIVATE (config.webhooks.allowPrivate); false when not given. */
  webhookAllowPrivate?: boolean;
  /** Opens the webhook endpoints' secrets (RELANCE_SECRET_KEYS); when not given, built from the environment. */
  secrets?: SecretBox;
  /** INBOUND_DOMAIN and the key of its reply-address tokens: customer emails get their own reply address; absent: none. */
  replyAddresses?: ReplyAddressKeys;
}

/** Every activity, built from injected dependencies so tests can pass their own. */
export function createActivities(deps: ActivityDeps): Activities {
  return {
    ...createDiagnosticsActivities(deps.dataSource),
    ...createApprovalActivities(deps),
    ...createSweepActivities(deps.dataSource),
    ...createDeliveryActivities(deps, { faultInject: deps.faultInject }),
    ...createWebhookActivities(deps.dataSource, { allowPrivate: deps.webhookAllowPrivate ?? false, secrets: deps.secrets }),
  };
}
