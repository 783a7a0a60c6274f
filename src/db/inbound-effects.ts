import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { InboundEvent, MatchedReplyAddress } from '../domain/inbound/inbound-event';
import { record as recordAudit } from './audit-events.repository';
import { recordIncoming } from './invoice-messages.repository';
import { type Suppression, type SuppressionOrigin, SuppressionsRepository } from './suppressions.repository';
import { webhookEvents } from './webhook-events';

/** Temporary failures of one address (each of a different delivery) within SOFT_BOUNCE_DAYS that suppress it. */
export const SOFT_BOUNCE_LIMIT = 3;
export const SOFT_BOUNCE_DAYS = 30;
/** What is kept of a reply's text: enough for any message a person writes, not a quoted attachment's worth per invoice. */
const MAX_TEXT_CHARS = 100_000;
const MAX_REASON_CHARS = 500;

export type InboundOutcome = 'duplicate' | 'suppressed' | 'already suppressed' | 'counted' | 'recorded' | 'paused';

/**
 * What an inbound message changes: suppressions, customers' email status, pauses, tasks, messages and events, in one
 * transaction. A message received again (an MTA retries a post it did not see answered) is recognised by its receipt
 * key and changes nothing. Everything is scoped to the address's company: an invoice id of another company is ignored.
 */
export async function applyInbound(
  dataSource: DataSource, address: MatchedReplyAddress, event: InboundEvent, receivedAt: Date,
): Promise<{ outcome: InboundOutcome }> {
  return dataSource.transaction(async (m) => {
    const recipient = address.recipient.toLowerCase();
    const temporaryFailure = event.kind === 'bounce' && !event.permanent;
    const [receipt] = await m.query(
      `INSERT INTO inbound_receipts (company_id, receipt_key, delivery_key, address, kind, temporary_failure, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (company_id, receipt_key) DO NOTHING RETURNING id`,
      [address.companyId, receiptKey(address, event), address.deliveryKey, recipient, event.kind, temporaryFailure, receivedAt],
    ) as Array<{ id: string }>;
    if (!receipt) return { outcome: 'duplicate' as const };
    const effects = new InboundEffects(m, address, recipient, receipt.id);
    switch (event.kind) {
      case 'bounce': return { outcome: await effects.bounce(event, receivedAt) };
      case 'complaint': return { outcome: await effects.complaint(event) };
      case 'auto_reply': return { outcome: await effects.autoReply(event) };
      case 'reply': return { outcome: await effects.reply(event) };
    }
  });
}

/** The same delivery saying the same thing again is the same message (a retried post), whatever its arrival time. */
function receiptKey(address: MatchedReplyAddress, event: InboundEvent): Buffer {
  return createHash('sha256').update(JSON.stringify([address.deliveryKey, event])).digest();
}

const clip = (text: string, max: number) => (text.length > max ? text.slice(0, max) : text);

class InboundEffects {
  constructor(
    private readonly m: EntityManager,
    private readonly address: MatchedReplyAddress,
    private readonly recipient: string,
    private readonly receiptId: string,
  ) {}

  private get companyId() {
    return this.address.companyId;
  }

  async bounce(event: Extract<InboundEvent, { kind: 'bounce' }>, receivedAt: Date): Promise<InboundOutcome> {
    const diagnostic = clip(`${event.status} ${event.diagnostic ?? ''}`.trim(), MAX_REASON_CHARS);
    await recordIncoming(this.m, {
      companyId: this.companyId, invoiceIds: this.address.invoiceIds, kind: 'bounce', deliveryKey: this.address.deliveryKey,
      from: null, to: this.recipient, subject: `${event.permanent ? 'Permanent' : 'Temporary'} delivery failure ${event.status}`, text: diagnostic,
    });
    let origin: SuppressionOrigin = 'bounce';
    let reason = diagnostic;
    if (!event.permanent) {
      // Serialises the address's failures: two arriving at once both see the other and the third suppresses.
      await this.m.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`soft-bounces:${this.companyId}:${this.recipient}`]);
      const [{ failures }] = await this.m.query(
        `SELECT count(DISTINCT delivery_key)::int AS failures FROM inbound_receipts
          WHERE company_id = $1 AND address = $2 AND temporary_failure
            AND received_at > $3::timestamptz - make_interval(days => $4) AND received_at <= $3::timestamptz`,
        [this.companyId, this.recipient, receivedAt, SOFT_BOUNCE_DAYS]) as Array<{ failures: number }>;
      if (failures < SOFT_BOUNCE_LIMIT) return 'counted';
      origin = 'soft_bounces';
      reason = clip(`${failures} temporary failures in ${SOFT_BOUNCE_DAYS} days, last ${diagnostic}`, MAX_REASON_CHARS);
    }
    const suppression = await this.suppress(origin, reason, { status: event.status });
    if (!suppression) return 'already suppressed';
    const customerIds = await this.setCustomersStatus('bounced', { optOut: false });
    const customerId = this.address.customerId ?? customerIds[0] ?? null;
    const name = customerId ? await this.customerName(customerId) : null;
    await this.openTask({
      title: `Fix the email address of ${name ?? this.recipient}`,
      description: `Mail to ${this.recipient} failed (${reason}): nothing is sent to it any more. Set a working address on the customer; `
        + 'an admin deletes the suppression if this one works again.',
      recordType: customerId ? 'customer' : null, recordId: customerId,
    });
    await webhookEvents.emailBounced(this.m, {
      companyId: this.companyId, suppressionId: suppression.id, address: this.recipient, customerId, origin, status: event.status,
      permanent: event.permanent, reason, deliveryKey: this.address.deliveryKey,
    });
    return 'suppressed';
  }

  /** A complaint (marked as spam) suppresses the address and opts its customers out of reminders. */
  async complaint(event: Extract<InboundEvent, { kind: 'complaint' }>): Promise<InboundOutcome> {
    const reason = clip(event.feedbackType ? `complaint (${event.feedbackType})` : 'complaint', MAX_REASON_CHARS);
    const suppression = await this.suppress('complaint', reason, {});
    await this.setCustomersStatus('complained', { optOut: true });
    return suppression ? 'suppressed' : 'already suppressed';
  }

  /** Recorded on the invoices, and nothing else: an out-of-office is not an answer. */
  async autoReply(event: Extract<InboundEvent, { kind: 'auto_reply' }>): Promise<InboundOutcome> {
    await recordIncoming(this.m, {
      companyId: this.companyId, invoiceIds: this.address.invoiceIds, kind: 'auto_reply', deliveryKey: this.address.deliveryKey,
      from: event.from.toLowerCase(), to: null, subject: clip(event.subject, MAX_REASON_CHARS), text: '',
    });
    return 'recorded';
  }

  /** A person answered: the invoices pause (a pause a user set with no end stays as it is), kept, a task, an event. */
  async reply(event: Extract<InboundEvent, { kind: 'reply' }>): Promise<InboundOutcome> {
    const from = event.from.toLowerCase();
    await this.m.query(
      `UPDATE invoices SET reminders_paused_at = now(), reminders_paused_until = NULL, reminders_pause_reason = 'customer replied', updated_at = now()
        WHERE company_id = $1 AND id = ANY($2::uuid[]) AND NOT (reminders_paused_at IS NOT NULL AND reminders_paused_until IS NULL)`,
      [this.companyId, this.address.invoiceIds]);
    await recordIncoming(this.m, {
      companyId: this.companyId, invoiceIds: this.address.invoiceIds, kind: 'reply', deliveryKey: this.address.deliveryKey,
      from, to: null, subject: clip(event.subject, MAX_REASON_CHARS), text: clip(event.text, MAX_TEXT_CHARS),
    });
    const invoices = await this.m.query(
      `SELECT i.id, i.number, c.name AS customer FROM invoices i JOIN customers c ON c.id = i.customer_id
        WHERE i.company_id = $1 AND i.id = ANY($2::uuid[]) ORDER BY array_position($2::uuid[], i.id)`,
      [this.companyId, this.address.invoiceIds]) as Array<{ id: string; number: string; customer: string }>;
    const first = invoices[0];
    await this.openTask({
      title: `${first?.customer ?? from} replied about ${invoices.map((i) => i.number).join(', ') || 'an email'}`,
      description: `Reminders are paused (customer replied). Read the reply with GET /v1/invoices/${first?.id ?? ':id'}/messages, answer it, `
        + 'then resume the reminders.',
      recordType: first ? 'invoice' : null, recordId: first?.id ?? null,
    });
    await webhookEvents.customerReplied(this.m, {
      companyId: this.companyId, receiptId: this.receiptId, customerId: this.address.customerId, invoiceIds: invoices.map((i) => i.id),
      deliveryKey: this.address.deliveryKey, from, subject: clip(event.subject, MAX_REASON_CHARS),
    });
    return 'paused';
  }

  /** The new suppression with its audit entry, or null when the address was suppressed already. */
  private async suppress(origin: SuppressionOrigin, reason: string, data: { status?: string }): Promise<Suppression | null> {
    const suppression = await new SuppressionsRepository(this.m).insertIfAbsent({
      companyId: this.companyId, address: this.recipient, origin, reason, deliveryKey: this.address.deliveryKey,
    });
    if (suppression) {
      await recordAudit(this.m, {
        companyId: this.companyId, type: 'suppression.created', actorId: null, apiKeyId: null, clientAddress: null,
        targetId: suppression.id, data: { origin, ...data },
      });
    }
    return suppression;
  }

  /** Every customer of the company at the address (addresses are stored lower-case); their ids (a CTE: TypeORM answers a bare UPDATE … RETURNING as [rows, count]). */
  private async setCustomersStatus(status: 'bounced' | 'complained', options: { optOut: boolean }): Promise<string[]> {
    const rows = await this.m.query(
      `WITH changed AS (UPDATE customers SET email_status = $3, reminders_enabled = reminders_enabled AND NOT $4, updated_at = now()
                         WHERE company_id = $1 AND email = $2 RETURNING id)
       SELECT id FROM changed ORDER BY id`,
      [this.companyId, this.recipient, status, options.optOut]) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }

  private async customerName(id: string): Promise<string | null> {
    const [row] = await this.m.query('SELECT name FROM customers WHERE company_id = $1 AND id = $2', [this.companyId, id]) as Array<{ name: string }>;
    return row?.name ?? null;
  }

  /**
   * A task for the team (a task needs an assignee): the active user who created the definition that sent the email,
   * who set up these reminders and knows the customer; else the company's longest-serving active admin (an invoice
   * sent through the API has no definition). None when the company has no active admin (then there is nobody to ask).
   */
  private async openTask(t: { title: string; description: string; recordType: 'customer' | 'invoice' | null; recordId: string | null }): Promise<void> {
    await this.m.query(
      `INSERT INTO tasks (company_id, assignee_id, kind, title, description, record_type, record_id, idempotency_key)
       SELECT $1, a.id, 'reminder', $3, $4, $5, $6, $7 FROM (
         SELECT COALESCE(
           (SELECT u.id FROM deliveries d JOIN workflow_definitions w ON w.id = d.definition_id JOIN users u ON u.id = w.created_by
             WHERE d.delivery_key = $2 AND d.company_id = $1 AND u.company_id = $1 AND u.status = 'active'),
           (SELECT u.id FROM users u WHERE u.company_id = $1 AND u.role = 'admin' AND u.status = 'active' ORDER BY u.created_at, u.id LIMIT 1)) AS id
       ) a WHERE a.id IS NOT NULL
       ON CONFLICT (idempotency_key) DO NOTHING`,
      [this.companyId, this.address.deliveryKey, clip(t.title, 200), t.description, t.recordType, t.recordId, `inbound:${this.receiptId}`]);
  }
}
