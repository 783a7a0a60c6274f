import { createHash, randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { InboundEvent, MatchedReplyAddress } from '../domain/inbound/inbound-event';
import { record as recordAudit } from './audit-events.repository';
import { recordIncoming } from './invoice-messages.repository';
import { type Suppression, type SuppressionOrigin, SuppressionsRepository } from './suppressions.repository';
import { preparedSql, type Sql } from './sql';
import { webhookEvents } from './webhook-events';
import { subscribed } from './webhooks.repository';
import { webhookEventId } from '../domain/webhook-signature';

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
  dataSource: DataSource, address: MatchedReplyAddress, event: InboundEvent, receivedAt: Date, messageId: string | null = null,
): Promise<{ outcome: InboundOutcome }> {
  const key = receiptKey(address, event, messageId);
  if (event.kind === 'reply') return { outcome: await applyReply(preparedSql(dataSource), address, event, receivedAt, key) };
  return dataSource.transaction(async (m) => {
    const recipient = address.recipient.toLowerCase();
    const temporaryFailure = event.kind === 'bounce' && !event.permanent;
    const [receipt] = await m.query(
      `INSERT INTO inbound_receipts (company_id, receipt_key, delivery_key, address, kind, temporary_failure, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (company_id, receipt_key) DO NOTHING RETURNING id`,
      [address.companyId, key, address.deliveryKey, recipient, event.kind, temporaryFailure, receivedAt],
    ) as Array<{ id: string }>;
    if (!receipt) return { outcome: 'duplicate' as const };
    const effects = new InboundEffects(m, address, recipient, receipt.id);
    switch (event.kind) {
      case 'bounce': return { outcome: await effects.bounce(event, receivedAt) };
      case 'complaint': return { outcome: await effects.complaint(event) };
      case 'auto_reply': return { outcome: await effects.autoReply(event) };
    }
  });
}

/**
 * A message posted again (an MTA retrying) is known by its Message-ID, so that the same words written again later are
 * a reply of their own; without one, the same delivery saying the same thing is the same message, whatever its arrival.
 */
function receiptKey(address: MatchedReplyAddress, event: InboundEvent, messageId: string | null): Buffer {
  return createHash('sha256').update(JSON.stringify(messageId ? [address.deliveryKey, 'message-id', messageId] : [address.deliveryKey, event])).digest();
}

const clip = (text: string, max: number) => (text.length > max ? text.slice(0, max) : text);

/**
 * Who a task about a delivery goes to (SQL, given the SQL of the company id and of the delivery key): the active user
 * who created the definition that sent the email, who set up these reminders and knows the customer; else the
 * company's longest-serving active admin (an invoice sent through the API has no definition); null when the company
 * has no active admin (then there is nobody to ask).
 */
const assignee = (companyId: string, deliveryKey: string) => `COALESCE(
  (SELECT u.id FROM deliveries d JOIN workflow_definitions w ON w.id = d.definition_id JOIN users u ON u.id = w.created_by
    WHERE d.delivery_key = ${deliveryKey} AND d.company_id = ${companyId} AND u.company_id = ${companyId} AND u.status = 'active'),
  (SELECT u.id FROM users u WHERE u.company_id = ${companyId} AND u.role = 'admin' AND u.status = 'active' ORDER BY u.created_at, u.id LIMIT 1))`;
/**
 * What a person's reply does, in one statement (one round trip, one transaction, prepared once per connection): the
 * receipt, then only if it is new, the invoices' pause, the reply kept on each, a task and the `customer.replied` event.
 * The statements of a CTE see one snapshot, so the invoices are read as they were before the pause.
 */
const REPLY_SQL = `
WITH receipt AS (
  INSERT INTO inbound_receipts (id, company_id, receipt_key, delivery_key, address, kind, temporary_failure, received_at)
  VALUES ($1::uuid, $2::uuid, $3, $4::text, $5::text, 'reply', false, $6::timestamptz)
  ON CONFLICT (company_id, receipt_key) DO NOTHING RETURNING id
), listed AS (
  SELECT i.id, i.number, c.name AS customer, array_position($7::uuid[], i.id) AS position
    FROM invoices i JOIN customers c ON c.id = i.customer_id
   WHERE i.company_id = $2 AND i.id = ANY($7::uuid[]) AND EXISTS (SELECT 1 FROM receipt)
), paused AS (
  UPDATE invoices SET reminders_paused_at = now(), reminders_paused_until = NULL, reminders_pause_reason = 'customer replied', updated_at = now()
   WHERE company_id = $2 AND id = ANY($7::uuid[]) AND NOT (reminders_paused_at IS NOT NULL AND reminders_paused_until IS NULL)
     AND EXISTS (SELECT 1 FROM receipt)
), kept AS (
  INSERT INTO invoice_messages (company_id, invoice_id, direction, kind, delivery_key, from_address, to_address, subject, body_text)
  SELECT $2, l.id, 'in', 'reply', $4, $8::text, NULL, $9::text, $10::text FROM listed l ORDER BY l.id
), summary AS (
  SELECT (array_agg(l.id ORDER BY l.position))[1] AS first_id, (array_agg(l.customer ORDER BY l.position))[1] AS customer,
         string_agg(l.number, ', ' ORDER BY l.position) AS numbers, coalesce(array_agg(l.id ORDER BY l.position), '{}') AS ids
    FROM listed l
), task AS (
  INSERT INTO tasks (company_id, assignee_id, kind, title, description, record_type, record_id, idempotency_key)
  SELECT $2, a.id, 'reminder', left(coalesce(s.customer, $8::text) || ' replied about ' || coalesce(s.numbers, 'an email'), 200),
         'Reminders are paused (customer replied). Read the reply with GET /v1/invoices/' || coalesce(s.first_id::text, ':id')
           || '/messages, answer it, then resume the reminders.',
         CASE WHEN s.first_id IS NOT NULL THEN 'invoice' END, s.first_id, 'inbound:' || r.id
    FROM receipt r CROSS JOIN summary s CROSS JOIN LATERAL (SELECT ${assignee('$2', '$4')} AS id) a
   WHERE a.id IS NOT NULL
  ON CONFLICT (idempotency_key) DO NOTHING
), event AS (
  INSERT INTO webhook_events (id, company_id, type, data)
  SELECT $11::uuid, $2, 'customer.replied',
         jsonb_build_object('customerId', $12::uuid, 'invoiceIds', to_jsonb(s.ids), 'deliveryKey', $4::text, 'from', $8::text, 'subject', $9::text)
    FROM receipt r CROSS JOIN summary s
   WHERE EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.company_id = $2 AND ${subscribed('w', "'customer.replied'")})
  ON CONFLICT (id) DO NOTHING RETURNING id
), notified AS (
  INSERT INTO webhook_deliveries (company_id, event_id, endpoint_id)
  SELECT $2, e.id, w.id FROM event e JOIN webhook_endpoints w ON w.company_id = $2 AND ${subscribed('w', "'customer.replied'")}
  ON CONFLICT (event_id, endpoint_id) DO NOTHING
)
SELECT count(*)::int AS received FROM receipt`;


/** A person answered: the invoices pause (a pause a user set with no end stays as it is), kept, a task, an event. */
async function applyReply(
  db: Sql, address: MatchedReplyAddress, event: Extract<InboundEvent, { kind: 'reply' }>, receivedAt: Date, key: Buffer,
): Promise<InboundOutcome> {
  // The receipt's id is chosen here so that the event's and the task's keys, derived from it, go in the same statement.
  const receiptId = randomUUID();
  const [{ received }] = await db.query<{ received: number }>(REPLY_SQL, [
    receiptId, address.companyId, key, address.deliveryKey, address.recipient.toLowerCase(), receivedAt, address.invoiceIds,
    event.from.toLowerCase(), clip(event.subject, MAX_REASON_CHARS), clip(event.text, MAX_TEXT_CHARS),
    webhookEventId(`customer.replied:${receiptId}`), address.customerId,
  ]);
  return received ? 'paused' : 'duplicate';
}

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

  /** A task for the team (a task needs an assignee: see `assignee`). */
  private async openTask(t: { title: string; description: string; recordType: 'customer' | 'invoice' | null; recordId: string | null }): Promise<void> {
    await this.m.query(
      `INSERT INTO tasks (company_id, assignee_id, kind, title, description, record_type, record_id, idempotency_key)
       SELECT $1, a.id, 'reminder', $3, $4, $5, $6, $7 FROM (SELECT ${assignee('$1', '$2')} AS id) a WHERE a.id IS NOT NULL
       ON CONFLICT (idempotency_key) DO NOTHING`,
      [this.companyId, this.address.deliveryKey, clip(t.title, 200), t.description, t.recordType, t.recordId, `inbound:${this.receiptId}`]);
  }
}
