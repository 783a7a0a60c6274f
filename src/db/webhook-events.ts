import { webhookEventId } from '../domain/webhook-signature';
import { recordWebhookEvents, type WebhookDb } from './webhooks.repository';

/**
 * The webhook events, each recorded where its fact happens (in the fact's transaction when there is one, else by
 * the activity that causes it), keyed by the fact: recording one again (a retried activity) is the same event, same id.
 */
/** The document an approval event is about: an invoice's events are `invoice.approval.*`, a bill's `bill.approval.*`. */
type ApprovalEventDocument = { document: { kind: 'invoice' | 'bill'; id: string; number: string } } | { invoiceId: string; invoiceNumber: string };

/** The event type for the document's kind, and the fields that name the document in its data. */
function approvalEventOf(e: ApprovalEventDocument, event: 'requested' | 'decided' | 'escalated') {
  const d = 'document' in e ? e.document : { kind: 'invoice' as const, id: e.invoiceId, number: e.invoiceNumber };
  return d.kind === 'bill'
    ? { type: `bill.approval.${event}` as const, names: { billId: d.id, billNumber: d.number } }
    : { type: `invoice.approval.${event}` as const, names: { invoiceId: d.id, invoiceNumber: d.number } };
}

export const webhookEvents = {
  approvalRequested(db: WebhookDb, e: ApprovalEventDocument & {
    companyId: string; approvalId: string; step: number; stepCount: number; deadline: string; userIds: string[];
  }): Promise<void> {
    const { type, names } = approvalEventOf(e, 'requested');
    return recordWebhookEvents(db, [{
      id: webhookEventId(`${type}:${e.approvalId}:${e.step}`), companyId: e.companyId, type,
      data: { approvalId: e.approvalId, ...names, step: e.step + 1, stepCount: e.stepCount, deadline: e.deadline, notifiedUserIds: e.userIds },
    }]);
  },

  /** `decision`: approved, rejected, or timeout (no decision by the deadline: rejected). */
  approvalDecided(db: WebhookDb, e: ApprovalEventDocument & {
    companyId: string; approvalId: string; outcome: 'approved' | 'rejected'; decision: string; decidedBy: string | null; comment: string | null;
  }): Promise<void> {
    const { type, names } = approvalEventOf(e, 'decided');
    return recordWebhookEvents(db, [{
      id: webhookEventId(`${type}:${e.approvalId}`), companyId: e.companyId, type,
      data: {
        approvalId: e.approvalId, ...names, outcome: e.outcome,
        decision: e.decision === 'timeout' ? 'timeout' : e.outcome, decidedBy: e.decidedBy, comment: e.comment,
      },
    }]);
  },

  /** For the escalation of a pending step (one event per approval, step and escalation level). */
  approvalEscalated(db: WebhookDb, e: ApprovalEventDocument & {
    companyId: string; approvalId: string; step: number; level: number; escalatedTo: string[]; reason: string;
  }): Promise<void> {
    const { type, names } = approvalEventOf(e, 'escalated');
    return recordWebhookEvents(db, [{
      id: webhookEventId(`${type}:${e.approvalId}:${e.step}:${e.level}`), companyId: e.companyId, type,
      data: { approvalId: e.approvalId, ...names, step: e.step + 1, level: e.level, escalatedTo: e.escalatedTo, reason: e.reason },
    }]);
  },

  /** One per record a sweep delivered to (its key is the record's occurrence of the definition), in one statement. */
  remindersDelivered(db: WebhookDb, companyId: string, reminders: Array<{
    definitionId: string; templateKey: string; runId: string; recordType: string; recordId: string; occurrence: string; channels: string[];
  }>): Promise<void> {
    return recordWebhookEvents(db, reminders.map((r) => ({
      id: webhookEventId(`reminder.delivered:${r.definitionId}|${r.recordType}:${r.recordId}|${r.occurrence}`), companyId,
      type: 'reminder.delivered', data: { ...r },
    })));
  },

  paymentReceived(db: WebhookDb, p: {
    id: string; companyId: string; invoiceId: string; customerId: string | null; amount: string; receivedAt: Date; method: string | null;
  }): Promise<void> {
    return recordWebhookEvents(db, [{
      id: webhookEventId(`payment.received:${p.id}`), companyId: p.companyId, type: 'payment.received',
      data: {
        paymentId: p.id, invoiceId: p.invoiceId, customerId: p.customerId, amount: p.amount, receivedAt: p.receivedAt.toISOString(),
        method: p.method,
      },
    }]);
  },

  /** A workflow run recorded `failed` (its row is read for the event). */
  async runFailed(db: WebhookDb, runRecordId: string): Promise<void> {
    const [run] = await db.query(
      `SELECT company_id, definition_id, kind, trigger, temporal_workflow_id, temporal_run_id, errors FROM workflow_runs WHERE id = $1`,
      [runRecordId]) as Array<Record<string, unknown>>;
    if (!run) return;
    await recordWebhookEvents(db, [{
      id: webhookEventId(`workflow.run.failed:${runRecordId}`), companyId: run.company_id as string, type: 'workflow.run.failed',
      data: {
        runId: runRecordId, definitionId: run.definition_id, kind: run.kind, trigger: run.trigger,
        temporalWorkflowId: run.temporal_workflow_id, temporalRunId: run.temporal_run_id, errors: run.errors,
      },
    }]);
  },

  /** A workflow's in-app push notification, in the transaction that inserts it: what the company `webhookUrl` carried. */
  notificationPushed(db: WebhookDb, deliveryKey: string, companyId: string, notification: {
    id: string; userId: string; title: string; body: string; recordType: string; recordId: string; definitionId: string; templateKey: string;
  }): Promise<void> {
    return recordWebhookEvents(db, [{
      id: webhookEventId(`notification.pushed:${deliveryKey}`), companyId, type: 'notification.pushed', data: { notification },
    }]);
  },

  /** A customer address suppressed by bounces (one event per suppression). */
  emailBounced(db: WebhookDb, e: {
    companyId: string; suppressionId: string; address: string; customerId: string | null; origin: 'bounce' | 'soft_bounces';
    status: string; permanent: boolean; reason: string; deliveryKey: string;
  }): Promise<void> {
    return recordWebhookEvents(db, [{
      id: webhookEventId(`email.bounced:${e.suppressionId}`), companyId: e.companyId, type: 'email.bounced',
      data: {
        suppressionId: e.suppressionId, address: e.address, customerId: e.customerId, origin: e.origin, status: e.status,
        permanent: e.permanent, reason: e.reason, deliveryKey: e.deliveryKey,
      },
    }]);
  },

  // customer.replied is recorded by the reply's own statement with its other effects (applyInbound).

  /** A dispute opened from a reminder's answer page (`deliveryKey`: the reminder its link came with). */
  invoiceDisputed(db: WebhookDb, e: {
    companyId: string; disputeId: string; invoiceId: string; invoiceNumber: string; customerId: string; reason: string; openedAt: Date;
    deliveryKey: string;
  }): Promise<void> {
    return recordWebhookEvents(db, [{
      id: webhookEventId(`invoice.disputed:${e.disputeId}`), companyId: e.companyId, type: 'invoice.disputed',
      data: {
        disputeId: e.disputeId, invoiceId: e.invoiceId, invoiceNumber: e.invoiceNumber, customerId: e.customerId, reason: e.reason,
        openedAt: e.openedAt.toISOString(), deliveryKey: e.deliveryKey,
      },
    }]);
  },

  invoiceDisputeResolved(db: WebhookDb, e: {
    companyId: string; disputeId: string; invoiceId: string; invoiceNumber: string; resolution: string; resolvedBy: string; resolvedAt: Date;
  }): Promise<void> {
    return recordWebhookEvents(db, [{
      id: webhookEventId(`invoice.dispute_resolved:${e.disputeId}`), companyId: e.companyId, type: 'invoice.dispute_resolved',
      data: {
        disputeId: e.disputeId, invoiceId: e.invoiceId, invoiceNumber: e.invoiceNumber, resolution: e.resolution, resolvedBy: e.resolvedBy,
        resolvedAt: e.resolvedAt.toISOString(),
      },
    }]);
  },

  /** `graceUntil`: the last day reminders stay paused for it. */
  invoicePromised(db: WebhookDb, e: {
    companyId: string; promiseId: string; invoiceId: string; invoiceNumber: string; customerId: string; payOn: string; graceUntil: string;
    deliveryKey: string;
  }): Promise<void> {
    return recordWebhookEvents(db, [{
      id: webhookEventId(`invoice.promised:${e.promiseId}`), companyId: e.companyId, type: 'invoice.promised',
      data: {
        promiseId: e.promiseId, invoiceId: e.invoiceId, invoiceNumber: e.invoiceNumber, customerId: e.customerId, payOn: e.payOn,
        graceUntil: e.graceUntil, deliveryKey: e.deliveryKey,
      },
    }]);
  },

  /** Keyed by the promise: recorded once, however often the delivery that resumes is retried. */
  invoicePromiseBroken(db: WebhookDb, e: {
    companyId: string; promiseId: string; invoiceId: string; invoiceNumber: string; customerId: string; payOn: string;
  }): Promise<void> {
    return recordWebhookEvents(db, [{
      id: webhookEventId(`invoice.promise_broken:${e.promiseId}`), companyId: e.companyId, type: 'invoice.promise_broken',
      data: { promiseId: e.promiseId, invoiceId: e.invoiceId, invoiceNumber: e.invoiceNumber, customerId: e.customerId, payOn: e.payOn },
    }]);
  },
};
