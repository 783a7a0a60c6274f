import { Context } from '@temporalio/activity';
import { createHmac } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { DeliveryChannel } from '../db/entities';
import { todayIn } from '../domain/dates';
import { renderHtmlBody, renderMessage } from '../domain/messages';
import type { DeliverBatchInput, DeliverBatchResult, DeliveryActivities } from '../contracts';
import type { Mailer } from '../infra/mailer';
import { sweepPlan, SweepRecord, toSweepRecord } from '../db/sweep-plans';
import { buildMatchQuery, loadSweepDefinition, SweepDefinition, whyNotLive } from '../db/sweep-query';

export type ReminderAction =
  | { type: 'email'; to: 'customer' | { userIds?: string[]; emails?: string[] }; subject: string; body: string }
  | { type: 'push'; userIds: string[]; title?: string; body?: string }
  | { type: 'task'; assigneeId: string; title: string; description?: string }
  | { type: 'memo' | 'stamp'; text: string }
  /** Sends the invoice itself to its customer and marks it sent (`send-unsent-invoices`). */
  | { type: 'send'; subject: string; body: string };

export interface DeliveryOptions {
  /** Test-only fault injection (`RELANCE_FAULT_INJECT`): `deliver-after-send-once` fails the first attempt after its first send. */
  faultInject?: string;
  /** How many records of a batch are delivered at once. */
  concurrency?: number;
}

type Outcome = { status: 'delivered' | 'skipped' } | { status: 'failed'; error: string };

interface DeliverySlot {
  channel: DeliveryChannel;
  recipient: string;
}

const MAX_ERRORS_PER_BATCH = 20;

/** The key that the unique index of `deliveries` holds: one delivery per definition, record, occurrence, channel, recipient. */
export function deliveryKey(definitionId: string, record: { recordType: string; id: string }, occurrence: string, slot: DeliverySlot): string {
  return `${definitionId}|${record.recordType}:${record.id}|${occurrence}|${slot.channel}|${slot.recipient}`;
}

export function signWebhook(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

function message(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 1000);
}

async function inPool<T>(items: T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) await run(items[next++]);
  }));
}

/**
 * Delivering a batch of matched records. Every side effect first takes its row in `deliveries`, whose unique
 * `delivery_key` is what makes it at most once across retries, restarts and overlapping runs:
 * - database effects (inbox notification, task, memo/stamp) commit in the same transaction as the row, `sent`:
 *   exactly once;
 * - external effects (email, webhook) insert the row `pending`, send, then mark it `sent` or `failed`. A `failed`
 *   row is taken again by a later attempt (the send surely did not happen). A `pending` row that this run left
 *   in an earlier attempt of the activity is in doubt (the process died between sending and recording): it is
 *   reported and never resent, which is the at-most-once choice. A `pending` row of another run is that run's
 *   delivery in flight (or in doubt): skipped.
 */
export function createDeliveryActivities(deps: { dataSource: DataSource; mailer: Mailer }, options: DeliveryOptions = {}): DeliveryActivities {
  const { dataSource, mailer } = deps;
  let faultPending = options.faultInject === 'deliver-after-send-once';

  function afterSend(): void {
    if (faultPending) {
      faultPending = false;
      throw new Error('fault injected (RELANCE_FAULT_INJECT=deliver-after-send-once): failing after the send, before recording it');
    }
  }

  interface Meta {
    def: SweepDefinition;
    runRecordId: string;
    record: SweepRecord;
    occurrence: string;
    attempt: number;
  }

  /** An existing row: delivered when this run did it (an earlier attempt of the batch), else skipped. */
  async function sentBy(meta: Meta, key: string, m: EntityManager): Promise<Outcome> {
    const [row]: { status: string; run_id: string | null }[] = await m.query('SELECT status, run_id FROM deliveries WHERE delivery_key = $1', [key]);
    return row?.status === 'sent' && row.run_id === meta.runRecordId ? { status: 'delivered' } : { status: 'skipped' };
  }

  /** A database effect and its delivery row in one transaction. */
  async function deliverInDatabase(meta: Meta, slot: DeliverySlot, effect: (m: EntityManager, key: string) => Promise<void>): Promise<Outcome> {
    const key = deliveryKey(meta.def.id, meta.record, meta.occurrence, slot);
    try {
      return await dataSource.transaction(async (m) => {
        const claimed = await m.query(
          `INSERT INTO deliveries (company_id, definition_id, run_id, record_type, record_id, occurrence, channel, recipient,
                                   status, attempts, delivery_key, sent_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'sent', 1, $9, now())
           ON CONFLICT (delivery_key) DO UPDATE SET status = 'sent', attempts = deliveries.attempts + 1, error = NULL,
                  run_id = EXCLUDED.run_id, sent_at = now()
            WHERE deliveries.status = 'failed'
           RETURNING id`,
          [meta.def.companyId, meta.def.id, meta.runRecordId, meta.record.recordType, meta.record.id, meta.occurrence,
            slot.channel, slot.recipient, key],
        );
        if (claimed.length === 0) return sentBy(meta, key, m);
        await effect(m, key);
        return { status: 'delivered' } as const;
      });
    } catch (err) {
      await recordFailure(meta, slot, key, message(err));
      return { status: 'failed', error: message(err) };
    }
  }

  async function recordFailure(meta: Meta, slot: DeliverySlot, key: string, error: string): Promise<void> {
    await dataSource.query(
      `INSERT INTO deliveries (company_id, definition_id, run_id, record_type, record_id, occurrence, channel, recipient,
                               status, attempts, delivery_key, error)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'failed', 1, $9, $10)
       ON CONFLICT (delivery_key) DO UPDATE SET status = 'failed', error = EXCLUDED.error WHERE deliveries.status <> 'sent'`,
      [meta.def.companyId, meta.def.id, meta.runRecordId, meta.record.recordType, meta.record.id, meta.occurrence,
        slot.channel, slot.recipient, key, error],
    );
  }

  /** An external effect: claim the row `pending`, send, record the result. */
  async function deliverOutside(
    meta: Meta,
    slot: DeliverySlot,
    send: (key: string) => Promise<void>,
    onSent?: (m: EntityManager) => Promise<void>,
  ): Promise<Outcome> {
    const key = deliveryKey(meta.def.id, meta.record, meta.occurrence, slot);
    const inserted = await dataSource.query(
      `INSERT INTO deliveries (company_id, definition_id, run_id, record_type, record_id, occurrence, channel, recipient,
                               status, attempts, delivery_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', 1, $9)
       ON CONFLICT (delivery_key) DO UPDATE SET status = 'pending', attempts = deliveries.attempts + 1, error = NULL,
              run_id = EXCLUDED.run_id, created_at = date_trunc('milliseconds', now())
        WHERE deliveries.status = 'failed'
       RETURNING id`,
      [meta.def.companyId, meta.def.id, meta.runRecordId, meta.record.recordType, meta.record.id, meta.occurrence,
        slot.channel, slot.recipient, key],
    );
    if (inserted.length === 0) {
      const [existing]: { status: string; run_id: string | null }[] = await dataSource.query(
        'SELECT status, run_id FROM deliveries WHERE delivery_key = $1', [key]);
      if (existing?.status === 'sent' && existing.run_id === meta.runRecordId) return { status: 'delivered' };
      if (existing?.status === 'pending' && existing.run_id === meta.runRecordId && meta.attempt > 1) {
        const error = `in doubt: an earlier attempt (of ${meta.attempt - 1}) stopped between sending and recording; not resent (at most once)`;
        await dataSource.query(`UPDATE deliveries SET error = $2 WHERE delivery_key = $1 AND status = 'pending'`, [key, error]);
        return { status: 'failed', error };
      }
      return { status: 'skipped' };
    }
    try {
      await send(key);
    } catch (err) {
      await recordFailure(meta, slot, key, message(err));
      return { status: 'failed', error: message(err) };
    }
    afterSend();
    await dataSource.transaction(async (m) => {
      await m.query(`UPDATE deliveries SET status = 'sent', sent_at = now(), error = NULL WHERE delivery_key = $1`, [key]);
      if (onSent) await onSent(m);
    });
    return { status: 'delivered' };
  }

  async function deliverRecord(meta: Meta, actions: ReminderAction[], users: Map<string, { email: string; name: string }>): Promise<Array<Outcome & { slot: DeliverySlot }>> {
    const { def, record } = meta;
    const options = { locale: def.locale, currency: def.currency, timezone: def.timezone };
    const render = (msg: { subject: string; body: string }, html: boolean) => {
      const plain = renderMessage(msg, record.variables, { ...options, html: false });
      return { subject: plain.subject, text: plain.body, html: html ? renderHtmlBody(msg.body, record.variables, options) : undefined };
    };
    const outcomes: Array<Outcome & { slot: DeliverySlot }> = [];
    const push = async (slot: DeliverySlot, run: () => Promise<Outcome>) => {
      let outcome: Outcome;
      try {
        outcome = await run();
      } catch (err) {
        if (err instanceof Error && err.message.startsWith('fault injected')) throw err;
        outcome = { status: 'failed', error: message(err) };
      }
      outcomes.push({ ...outcome, slot });
    };
    const fail = (error: string) => async (): Promise<Outcome> => ({ status: 'failed', error });

    for (const given of actions) {
      const action: Exclude<ReminderAction, { type: 'send' }> = given.type === 'send'
        ? { type: 'email', to: 'customer', subject: given.subject, body: given.body }
        : given;
      switch (action.type) {
        case 'email': {
          const toCustomer = action.to === 'customer';
          const recipients: string[] = [];
          if (toCustomer) {
            if (!record.customerEmail) {
              await push({ channel: 'email', recipient: 'customer' }, fail('the customer has no email address'));
              break;
            }
            recipients.push(record.customerEmail.toLowerCase());
          } else if (typeof action.to === 'object' && action.to) {
            for (const id of action.to.userIds ?? []) {
              const user = users.get(id);
              if (user) recipients.push(user.email.toLowerCase());
              else await push({ channel: 'email', recipient: `user:${id}` }, fail(`user ${id} is not a member of the company`));
            }
            for (const email of action.to.emails ?? []) recipients.push(email.toLowerCase());
          }
          // Sending an unsent invoice marks it sent with the same delivery; it is the `send` channel.
          const sendsInvoice = toCustomer && def.templateKey === 'send-unsent-invoices';
          for (const to of [...new Set(recipients)]) {
            const slot: DeliverySlot = { channel: sendsInvoice ? 'send' : 'email', recipient: to };
            await push(slot, () => {
              const mail = render({ subject: action.subject, body: action.body }, true);
              return deliverOutside(
                meta, slot,
                async (key) => { await mailer.send({ to, subject: mail.subject, text: mail.text, html: mail.html, deliveryKey: key }); },
                sendsInvoice
                  ? async (m) => { await m.query('UPDATE invoices SET sent_at = now(), updated_at = now() WHERE id = $1 AND sent_at IS NULL', [record.id]); }
                  : undefined,
              );
            });
          }
          break;
        }
        case 'push': {
          const title = render({ subject: action.title ?? def.name, body: action.body ?? '' }, false);
          for (const userId of [...new Set(action.userIds ?? [])]) {
            if (!users.has(userId)) {
              await push({ channel: 'push', recipient: userId }, fail(`user ${userId} is not a member of the company`));
              continue;
            }
            let notificationId: string | null = null;
            await push({ channel: 'push', recipient: userId }, () => deliverInDatabase(meta, { channel: 'push', recipient: userId }, async (m, key) => {
              const [row] = await m.query(
                `INSERT INTO notifications (company_id, user_id, title, body, record_type, record_id, idempotency_key)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
                [def.companyId, userId, title.subject, title.text, record.recordType, record.id, key],
              );
              notificationId = row?.id ?? null;
            }));
            if (def.webhookUrl && def.webhookSecret) {
              const url = def.webhookUrl;
              const secret = def.webhookSecret;
              const slot: DeliverySlot = { channel: 'webhook', recipient: userId };
              await push(slot, () => deliverOutside(meta, slot, async (key) => {
                const body = JSON.stringify({
                  type: 'notification', deliveryKey: key, notification: {
                    id: notificationId, userId, title: title.subject, body: title.text, recordType: record.recordType, recordId: record.id,
                    definitionId: def.id, templateKey: def.templateKey,
                  },
                });
                const res = await fetch(url, {
                  method: 'POST', body, signal: AbortSignal.timeout(10_000),
                  headers: { 'content-type': 'application/json', 'X-Relance-Signature': signWebhook(body, secret), 'X-Relance-Delivery': key },
                });
                if (!res.ok) throw new Error(`webhook ${url} answered ${res.status}`);
              }));
            }
          }
          break;
        }
        case 'task': {
          const slot: DeliverySlot = { channel: 'task', recipient: action.assigneeId };
          if (!users.has(action.assigneeId)) {
            await push(slot, fail(`assignee ${action.assigneeId} is not a member of the company`));
            break;
          }
          const task = render({ subject: action.title, body: action.description ?? '' }, false);
          await push(slot, () => deliverInDatabase(meta, slot, async (m, key) => {
            await m.query(
              `INSERT INTO tasks (company_id, assignee_id, kind, title, description, record_type, record_id, definition_id, idempotency_key)
               VALUES ($1, $2, 'reminder', $3, $4, $5, $6, $7, $8) ON CONFLICT (idempotency_key) DO NOTHING`,
              [def.companyId, action.assigneeId, task.subject, task.text, record.recordType, record.id, def.id, key],
            );
          }));
          break;
        }
        case 'memo':
        case 'stamp': {
          const slot: DeliverySlot = { channel: action.type, recipient: '' };
          if (record.recordType !== 'invoice') {
            await push(slot, fail(`a ${action.type} action applies to invoices, not to a ${record.recordType}`));
            break;
          }
          const text = render({ subject: '', body: action.text }, false).text;
          const column = action.type === 'memo' ? 'memo' : 'stamp';
          await push(slot, () => deliverInDatabase(meta, slot, async (m) => {
            await m.query(`UPDATE invoices SET ${column} = $2, updated_at = now() WHERE id = $1`, [record.id, text]);
          }));
          break;
        }
        default:
          await push({ channel: 'email', recipient: `action:${(action as { type?: string }).type}` },
            fail(`unknown action type "${(action as { type?: string }).type}"`));
      }
    }
    return outcomes;
  }

  return {
    /** Delivers every action of the definition to each record of the batch that still matches. */
    async deliverBatch(input: DeliverBatchInput): Promise<DeliverBatchResult> {
      const result: DeliverBatchResult = { stillMatching: 0, delivered: 0, skipped: 0, failed: 0, errors: [] };
      const def = await loadSweepDefinition(dataSource, input.definitionId, input.companyId);
      const plan = def && sweepPlan(def.templateKey);
      if (!def || !plan || whyNotLive(def) || input.recordIds.length === 0) return result;
      const asOf = new Date(input.asOf);
      const { sql, params } = buildMatchQuery({ plan, def, asOf, recordIds: input.recordIds, select: 'detail' });
      const rows: Record<string, unknown>[] = await dataSource.query(sql, params);
      const today = todayIn(def.timezone, asOf);
      const company = { name: def.companyName, currency: def.currency, timezone: def.timezone };
      const records = rows.map((r) => toSweepRecord(plan.recordType, r, { company, asOf }));
      result.stillMatching = records.length;

      const actions = def.actions as ReminderAction[];
      const userIds = new Set<string>();
      for (const a of actions) {
        if (a.type === 'email' && typeof a.to === 'object' && a.to) (a.to.userIds ?? []).forEach((id) => userIds.add(id));
        if (a.type === 'push') (a.userIds ?? []).forEach((id) => userIds.add(id));
        if (a.type === 'task') userIds.add(a.assigneeId);
      }
      const uuids = [...userIds].filter((id) => /^[0-9a-f-]{36}$/i.test(id));
      const users = new Map<string, { email: string; name: string }>(
        (await dataSource.query('SELECT id, email, name FROM users WHERE company_id = $1 AND id = ANY($2::uuid[])', [def.companyId, uuids]))
          .map((u: { id: string; email: string; name: string }) => [u.id, { email: u.email, name: u.name }]),
      );

      const attempt = Context.current().info.attempt;
      await inPool(records, options.concurrency ?? 8, async (record) => {
        const meta: Meta = { def, runRecordId: input.runRecordId, record, occurrence: plan.occurrence(record.row, today), attempt };
        for (const outcome of await deliverRecord(meta, actions, users)) {
          if (outcome.status === 'failed') {
            result.failed += 1;
            if (result.errors.length < MAX_ERRORS_PER_BATCH) {
              result.errors.push({ recordId: record.id, message: `${outcome.slot.channel} to ${outcome.slot.recipient || 'record'}: ${outcome.error}` });
            }
          } else {
            result[outcome.status] += 1;
          }
        }
      });
      return result;
    },
  };
}
