import { Context } from '@temporalio/activity';
import type { DataSource } from 'typeorm';
import { createDeliveriesRepository } from '../db/deliveries.repository';
import type { DeliveryChannel } from '../db/entities';
import type { Sql } from '../db/sql';
import { todayIn } from '../domain/dates';
import { renderHtmlBody, renderMessage } from '../domain/messages';
import type { DeliverBatchInput, DeliverBatchResult, DeliveryActivities } from '../contracts';
import type { Mailer } from '../infra/mailer';
import { sweepPlan, SweepRecord, toSweepRecord } from '../db/sweep-plans';
import { deliveryEffects } from '../db/delivery-effects';
import { type SweepDefinition, whyNotLive } from '../db/sweep-query';
import { SweepsRepository } from '../db/sweeps.repository';
import { UnsubscribeTokensRepository } from '../db/unsubscribe-tokens.repository';
import { webhookEvents } from '../db/webhook-events';
import { selectStep } from '../domain/collection-sequence';
import { nextOpening } from '../domain/send-window';
import { InvoiceDocumentsRepository } from '../db/invoice-documents.repository';
import { invoicePdfFilename, renderInvoicePdf } from '../infra/invoice-pdf';
import { unsubscribeFooter } from '../domain/unsubscribe';
import { beforeSending, RenderFailed } from '../infra/delivery-failures';
import { createOutbox, deliveryPolicies, type DeliveryIntent, type DeliveryOutcome } from '../infra/outbox';

export type ReminderAction =
  | { type: 'email'; to: 'customer' | { userIds?: string[]; emails?: string[] }; subject: string; body: string; attachInvoicePdf?: boolean }
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

/** Templates whose customer emails are reminders (unsubscribe link, stopped by a pause or an opt-out); the others' are transactional. */
export const CUSTOMER_REMINDER_TEMPLATES: readonly string[] = ['payment-due-reminder', 'overdue-invoice-stamp', 'collection-sequence'];

/** Whether an invoice's reminders are paused on `today` (through the day before `until`, or until resumed). */
export function remindersPaused(row: Record<string, string | null>, today: string): boolean {
  return row.remindersPausedAt !== null && row.remindersPausedAt !== undefined
    && (row.remindersPausedUntil === null || row.remindersPausedUntil === undefined || row.remindersPausedUntil > today);
}

type Outcome = { status: 'delivered' | 'skipped' } | { status: 'failed'; error: string };

/** A sweep counts an in-doubt delivery as failed, with the reason in its errors. */
function toOutcome(o: DeliveryOutcome): Outcome {
  if (o.status === 'inDoubt' || o.status === 'failed') return { status: 'failed', error: o.error };
  return { status: o.status };
}

interface DeliverySlot {
  channel: DeliveryChannel;
  recipient: string;
}

const MAX_ERRORS_PER_BATCH = 20;

/** The key that the unique index of `deliveries` holds: one delivery per definition, record, occurrence, channel, recipient. */
export function deliveryKey(definitionId: string, record: { recordType: string; id: string }, occurrence: string, slot: DeliverySlot): string {
  return `${definitionId}|${record.recordType}:${record.id}|${occurrence}|${slot.channel}|${slot.recipient}`;
}

/**
 * Runs `run` over the items, `size` at a time. The first failure (or a cancellation) stops the taking of new items,
 * and is thrown once the items in flight have settled: none goes on after the activity has failed, where it would
 * race the retry.
 */
async function inPool<T>(items: T[], size: number, run: (item: T) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, async () => {
    while (!failure && next < items.length) {
      if (signal?.aborted) {
        failure = { error: signal.reason };
        break;
      }
      try {
        await run(items[next++]);
      } catch (error) {
        failure ??= { error };
      }
    }
  }));
  if (failure) throw failure.error;
}

/**
 * Delivering a batch of matched records, each side effect through the outbox (outbox.ts) under its unique
 * `delivery_key`, with its kind's policy: database effects (inbox notification, task, memo/stamp) exactly once, emails
 * and webhooks at most once (a `pending` row that an earlier attempt of this run left is reported in doubt, never
 * resent). A row of another run is that run's delivery (done, in flight or in doubt): skipped. A failure of the
 * infrastructure fails the activity, which Temporal retries; only a record's own failure is counted `failed`.
 */
export function createDeliveryActivities(deps: { dataSource: DataSource; mailer: Mailer; publicUrl?: string }, options: DeliveryOptions = {}): DeliveryActivities {
  const { dataSource, mailer } = deps;
  const publicUrl = (deps.publicUrl ?? 'http://127.0.0.1:3000').replace(/(?<!\/)\/+$/, '');
  const sweeps = new SweepsRepository(dataSource);
  const unsubscribeTokens = new UnsubscribeTokensRepository(dataSource);
  const documents = new InvoiceDocumentsRepository(dataSource);

  /** The invoice as the PDF that the send and steps with `attachInvoicePdf` attach. */
  async function invoicePdf(companyId: string, invoiceId: string) {
    const document = await documents.find(companyId, invoiceId);
    if (!document) return [];
    return [{ filename: invoicePdfFilename(document.invoice.number), content: await renderInvoicePdf(document), contentType: 'application/pdf' }];
  }
  let faultPending = options.faultInject === 'deliver-after-send-once';
  const deliveries = createDeliveriesRepository(dataSource);
  const outbox = createOutbox(deliveries, {
    heartbeat: () => Context.current().heartbeat(),
    afterSend: () => {
      if (faultPending) {
        faultPending = false;
        throw new Error('fault injected (RELANCE_FAULT_INJECT=deliver-after-send-once): failing after the send, before recording it');
      }
    },
  });

  interface Meta {
    def: SweepDefinition;
    runRecordId: string;
    record: SweepRecord;
    occurrence: string;
    attempt: number;
    today: string;
  }

  function intent(meta: Meta, slot: DeliverySlot): DeliveryIntent {
    const { def, record } = meta;
    return {
      key: deliveryKey(def.id, record, meta.occurrence, slot),
      owner: { companyId: def.companyId, definitionId: def.id, runId: meta.runRecordId, recordType: record.recordType, recordId: record.id },
      occurrence: meta.occurrence,
      channel: slot.channel,
      recipient: slot.recipient,
      attempt: meta.attempt,
    };
  }

  /** A database effect and its delivery row in one transaction. */
  async function deliverInDatabase(meta: Meta, slot: DeliverySlot, effect: (tx: Sql, key: string) => Promise<void>): Promise<Outcome> {
    return toOutcome(await outbox.deliver(intent(meta, slot), { policy: 'inDatabase', apply: effect }));
  }

  /** An external effect: claim the row `pending`, send, mark it, with the given policy. */
  async function deliverOutside(
    meta: Meta,
    slot: DeliverySlot,
    policy: 'atMostOnce' | 'atLeastOnce',
    send: (key: string) => Promise<void>,
    effects: { onSent?: (tx: Sql) => Promise<void>; guard?: (tx: Sql) => Promise<boolean>; onInDoubt?: (tx: Sql) => Promise<void> } = {},
  ): Promise<Outcome> {
    const outcome = await outbox.deliver(intent(meta, slot), { policy, send, onSent: effects.onSent, guard: effects.guard });
    if (outcome.status === 'inDoubt' && effects.onInDoubt) await deliveries.transaction(effects.onInDoubt);
    return toOutcome(outcome);
  }

  /**
   * A sequence step's email: never after a later step of the invoice (`guard`, in the claim's transaction), and the
   * invoice's progress recorded with the send, or with its doubt (in doubt is never sent again: without it the
   * invoice would wait for that step for ever under catch-up `all`).
   */
  function sequenceEffects(def: SweepDefinition, invoiceId: string, step: number) {
    const progress = (tx: Sql) => deliveryEffects.recordSequenceStep(tx, def.id, invoiceId, step);
    return {
      onSent: progress,
      onInDoubt: progress,
      guard: (tx: Sql) => deliveryEffects.sequenceStepMayGo(tx, { companyId: def.companyId, definitionId: def.id, invoiceId, step }),
    };
  }

  async function deliverRecord(meta: Meta, actions: ReminderAction[], users: Map<string, { email: string; name: string }>): Promise<Array<Outcome & { slot: DeliverySlot }>> {
    const { def, record } = meta;
    const options = { locale: def.locale, currency: def.currency, timezone: def.timezone };
    // Rendered inside each delivery's effect: a message that fails to render is that delivery's recorded failure.
    const render = (msg: { subject: string; body: string }, html: boolean) => {
      try {
        const plain = renderMessage(msg, record.variables, { ...options, html: false });
        return { subject: plain.subject, text: plain.body, html: html ? renderHtmlBody(msg.body, record.variables, options) : undefined };
      } catch (err) {
        throw new RenderFailed(err);
      }
    };
    const outcomes: Array<Outcome & { slot: DeliverySlot }> = [];
    // Infrastructure failures are thrown through: the activity fails and is retried.
    const push = async (slot: DeliverySlot, run: () => Promise<Outcome>) => {
      outcomes.push({ ...(await run()), slot });
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
          const reminder = toCustomer && CUSTOMER_REMINDER_TEMPLATES.includes(def.templateKey);
          if (reminder && (record.row.remindersEnabled === 'false' || remindersPaused(record.row, meta.today))) {
            await push({ channel: 'email', recipient: 'customer' }, async () => ({ status: 'skipped' }));
            break;
          }
          const sequenceStep = def.templateKey === 'collection-sequence' && toCustomer ? Number(record.row.step) : null;
          for (const to of [...new Set(recipients)]) {
            const slot: DeliverySlot = { channel: sendsInvoice ? 'send' : 'email', recipient: to };
            await push(slot, () => deliverOutside(
              meta, slot, sendsInvoice ? deliveryPolicies.invoiceSend : deliveryPolicies.reminderEmail,
              async (key) => {
                const mail = render({ subject: action.subject, body: action.body }, true);
                const attach = record.recordType === 'invoice' && (sendsInvoice || ('attachInvoicePdf' in action && action.attachInvoicePdf));
                const attachments = attach ? await beforeSending(() => invoicePdf(def.companyId, record.id)) : undefined;
                if (!reminder || !record.row.customerId) {
                  await mailer.send({ to, subject: mail.subject, text: mail.text, html: mail.html, deliveryKey: key, attachments });
                  return;
                }
                // Every reminder carries a link of its own (RFC 8058 one-click as well), bound to the customer.
                const customerId = record.row.customerId;
                const link = `${publicUrl}/unsubscribe/${await beforeSending(() => unsubscribeTokens.mint(def.companyId, customerId))}`;
                const footer = unsubscribeFooter(link, def.locale);
                await mailer.send({
                  to, subject: mail.subject, text: `${mail.text}${footer.text}`, html: mail.html && `${mail.html}${footer.html}`, deliveryKey: key, attachments,
                  headers: { 'List-Unsubscribe': `<${link}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
                });
              },
              sendsInvoice ? { onSent: (tx) => deliveryEffects.markInvoiceSent(tx, record.id) } : sequenceStep !== null ? sequenceEffects(def, record.id, sequenceStep) : {},
            ));
          }
          break;
        }
        case 'push': {
          for (const userId of [...new Set(action.userIds ?? [])]) {
            if (!users.has(userId)) {
              await push({ channel: 'push', recipient: userId }, fail(`user ${userId} is not a member of the company`));
              continue;
            }
            // The company's push webhook is an event recorded with the notification, delivered by its own workflow:
            // a failing receiver never fails the sweep.
            await push({ channel: 'push', recipient: userId }, () => deliverInDatabase(meta, { channel: 'push', recipient: userId }, async (tx, key) => {
              const title = render({ subject: action.title ?? def.name, body: action.body ?? '' }, false);
              const notificationId = await deliveryEffects.insertNotification(tx, {
                companyId: def.companyId, userId, title: title.subject, body: title.text, recordType: record.recordType, recordId: record.id, key,
              });
              if (notificationId) {
                await webhookEvents.notificationPushed(tx, key, def.companyId, {
                  id: notificationId, userId, title: title.subject, body: title.text, recordType: record.recordType, recordId: record.id,
                  definitionId: def.id, templateKey: def.templateKey,
                });
              }
            }));
          }
          break;
        }
        case 'task': {
          const slot: DeliverySlot = { channel: 'task', recipient: action.assigneeId };
          if (!users.has(action.assigneeId)) {
            await push(slot, fail(`assignee ${action.assigneeId} is not a member of the company`));
            break;
          }
          await push(slot, () => deliverInDatabase(meta, slot, (tx, key) => {
            const task = render({ subject: action.title, body: action.description ?? '' }, false);
            return deliveryEffects.insertReminderTask(tx, {
              companyId: def.companyId, assigneeId: action.assigneeId, title: task.subject, description: task.text,
              recordType: record.recordType, recordId: record.id, definitionId: def.id, key,
            });
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
          const field = action.type;
          await push(slot, () => deliverInDatabase(meta, slot, (tx) => deliveryEffects.setInvoiceText(tx, record.id, field, render({ subject: '', body: action.text }, false).text)));
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
      const def = await sweeps.findDefinition(input.definitionId, input.companyId);
      const plan = def && sweepPlan(def.templateKey);
      if (!def || !plan || whyNotLive(def) || input.recordIds.length === 0) return result;
      const asOf = new Date(input.asOf);
      const rows = await sweeps.findMatchingDetails(plan, def, asOf, input.recordIds);
      const today = todayIn(def.timezone, asOf);
      const company = { name: def.companyName, currency: def.currency, timezone: def.timezone };
      let records = rows.map((r) => toSweepRecord(plan.recordType, r, { company, asOf }));
      if (def.templateKey === 'collection-sequence') {
        // The step each invoice gets today, as the domain decides (the query selected the same invoices).
        records = records.filter((record) => {
          const step = def.sequence && selectStep(def.sequence, { dueDate: record.row.dueDate!, today, lastStep: Number(record.row.lastStep ?? -1) });
          if (step === null || step === undefined) return false;
          record.row.step = String(step);
          return true;
        });
      }
      result.stillMatching = records.length;

      const actions = def.actions as ReminderAction[];
      const actionsOf = (record: SweepRecord): ReminderAction[] => {
        if (def.templateKey !== 'collection-sequence' || !def.sequence) return actions;
        const step = def.sequence.steps[Number(record.row.step)];
        const stepActions: ReminderAction[] = [
          { type: 'email', to: 'customer', subject: step.subject, body: step.body, attachInvoicePdf: step.attachInvoicePdf },
        ];
        if (step.task) stepActions.push({ type: 'task', ...step.task });
        return stepActions;
      };
      const userIds = new Set<string>();
      for (const step of def.sequence?.steps ?? []) if (step.task) userIds.add(step.task.assigneeId);
      for (const a of actions) {
        if (a.type === 'email' && typeof a.to === 'object' && a.to) (a.to.userIds ?? []).forEach((id) => userIds.add(id));
        if (a.type === 'push') (a.userIds ?? []).forEach((id) => userIds.add(id));
        if (a.type === 'task') userIds.add(a.assigneeId);
      }
      const users = await sweeps.findMembers(def.companyId, [...userIds]);

      // A record that emails its customer outside the send window waits, whole, for its next opening (the workflow's timer).
      if (def.sendWindow) {
        const now = new Date();
        const emailsCustomer = def.templateKey === 'collection-sequence'
          || actions.some((a) => a.type === 'send' || (a.type === 'email' && a.to === 'customer'));
        if (emailsCustomer) {
          const deferred: NonNullable<DeliverBatchResult['deferred']> = [];
          records = records.filter((record) => {
            if (!record.customerEmail) return true;
            const opens = nextOpening(def.sendWindow, record.row.customerTimezone ?? def.timezone, now);
            if (opens.getTime() <= now.getTime()) return true;
            deferred.push({ recordId: record.id, at: opens.toISOString() });
            return false;
          });
          if (deferred.length) result.deferred = deferred;
        }
      }

      const context = Context.current();
      const attempt = context.info.attempt;
      const delivered: Parameters<typeof webhookEvents.remindersDelivered>[2] = [];
      await inPool(records, options.concurrency ?? 8, async (record) => {
        const meta: Meta = { def, runRecordId: input.runRecordId, record, occurrence: plan.occurrence(record.row, today), attempt, today };
        const outcomes = await deliverRecord(meta, actionsOf(record), users);
        context.heartbeat();
        const channels = [...new Set(outcomes.filter((o) => o.status === 'delivered').map((o) => o.slot.channel))];
        if (channels.length > 0) {
          delivered.push({
            definitionId: def.id, templateKey: def.templateKey, runId: input.runRecordId, recordType: record.recordType, recordId: record.id,
            occurrence: meta.occurrence, channels,
          });
        }
        for (const outcome of outcomes) {
          if (outcome.status === 'failed') {
            result.failed += 1;
            if (result.errors.length < MAX_ERRORS_PER_BATCH) {
              result.errors.push({ recordId: record.id, message: `${outcome.slot.channel} to ${outcome.slot.recipient || 'record'}: ${outcome.error}` });
            }
          } else {
            result[outcome.status] += 1;
          }
        }
      }, context.cancellationSignal);
      // After the batch: a retry of the activity finds the same records delivered, and records the same events.
      await webhookEvents.remindersDelivered(dataSource, def.companyId, delivered);
      return result;
    },
  };
}
