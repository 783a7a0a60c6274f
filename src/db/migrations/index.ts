import { Diagnostics1764300000000 } from './1764300000000-diagnostics';
import { LedgerAndWorkflows1764300100000 } from './1764300100000-ledger-and-workflows';
import { PaymentEventDispatch1764300200000 } from './1764300200000-payment-event-dispatch';
import { InvoiceViewJson1764300300000 } from './1764300300000-invoice-view-json';
import { DeliveryClaims1764300400000 } from './1764300400000-delivery-claims';
import { Webhooks1764400000000 } from './1764400000000-webhooks';
import { ApproverRules1764500000000 } from './1764500000000-approver-rules';
import { ApprovalLinks1764500100000 } from './1764500100000-approval-links';
import { Collections1764600000000 } from './1764600000000-collections';
import { ApprovalLinkSuperseded1764700000000 } from './1764700000000-approval-link-superseded';
import { ApprovalTaskSeats1764700100000 } from './1764700100000-approval-task-seats';
import { OpsMetricsIndexes1764700200000 } from './1764700200000-ops-metrics-indexes';
import { DeferredParts1764700300000 } from './1764700300000-deferred-parts';
import { IdempotencyKeysPerUser1764800000000 } from './1764800000000-idempotency-keys-per-user';
import { WebhookSecretRotation1764800100000 } from './1764800100000-webhook-secret-rotation';
import { UserStatus1764800300000 } from './1764800300000-user-status';
import { AuditEvents1764800900000 } from './1764800900000-audit-events';
import { RateLimits1764800400000 } from './1764800400000-rate-limits';
import { Sessions1764801000000 } from './1764801000000-sessions';
import { CanonicalTimeZones1764801100000 } from './1764801100000-canonical-time-zones';
import { RunDeliveriesOrder1764801300000 } from './1764801300000-run-deliveries-order';
import { ListeningCollections1764802000000 } from './1764802000000-listening-collections';
import { InboundReceipts1764802300000 } from './1764802300000-inbound-receipts';
import { CustomerAnswers1764802400000 } from './1764802400000-customer-answers';
import { OrganizationApprovals1764803000000 } from './1764803000000-organization-approvals';
import { TaskInbox1764803500000 } from './1764803500000-task-inbox';
import { DefinitionVersions1764803600000 } from './1764803600000-definition-versions';
import { ApprovalDecisionsByApproval1764804000000 } from './1764804000000-approval-decisions-by-approval';
import { ApprovalsDecided1764805000000 } from './1764805000000-approvals-decided';

/** In order; each file is timestamped. Add new migrations at the end. */
export const migrations = [
  Diagnostics1764300000000, LedgerAndWorkflows1764300100000, PaymentEventDispatch1764300200000, InvoiceViewJson1764300300000,
  DeliveryClaims1764300400000, Webhooks1764400000000, ApproverRules1764500000000, ApprovalLinks1764500100000,
  Collections1764600000000, ApprovalLinkSuperseded1764700000000, ApprovalTaskSeats1764700100000, OpsMetricsIndexes1764700200000,
  DeferredParts1764700300000, IdempotencyKeysPerUser1764800000000, WebhookSecretRotation1764800100000,
  UserStatus1764800300000, RateLimits1764800400000, AuditEvents1764800900000, Sessions1764801000000,
  CanonicalTimeZones1764801100000, RunDeliveriesOrder1764801300000, ListeningCollections1764802000000,
  InboundReceipts1764802300000,
  CustomerAnswers1764802400000,
  OrganizationApprovals1764803000000,
  TaskInbox1764803500000,
  DefinitionVersions1764803600000,
  ApprovalDecisionsByApproval1764804000000,
  ApprovalsDecided1764805000000,
];
