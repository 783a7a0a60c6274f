import { Context } from '@temporalio/activity';
import type { DataSource } from 'typeorm';
import type { DeliverBatchInput, DeliverBatchResult, DeliveryActivities } from '../contracts';
import { createDeliveriesRepository } from '../db/deliveries.repository';
import { InvoiceDocumentsRepository } from '../db/invoice-documents.repository';
import { markBroken } from '../db/promises';
import { planFacts, sweepPlan, toSweepRecord } from '../db/sweep-plans';
import { whyNotLive } from '../db/sweep-query';
import { SweepsRepository } from '../db/sweeps.repository';
import { webhookEvents } from '../db/webhook-events';
import { todayIn } from '../domain/dates';
import { namedUserIds, planBatch, type PlannedItem, type ReminderAction, type Slot } from '../domain/delivery-planner';
import type { Mailer } from '../infra/mailer';
import { createOutbox } from '../infra/outbox';
import { type ChannelOutcome, type DeliveryContext, outboxIntent, toOutcome } from './channels/context';
import { createEmailChannel } from './channels/email';
import { EMAIL_DECORATIONS } from './channels/email-decorations';
import type { ReplyAddressKeys } from './channels/verp';
import { deliverMemo } from './channels/memo';
import { deliverPush } from './channels/push';
import { deliverTask } from './channels/task';
import { createStatementChannel, isStatement, type ListedInvoice, statementOf } from './channels/statement';
import { statementVariables } from '../domain/statements';

export { deliveryKey } from './channels/context';
export type { ReminderAction } from '../domain/delivery-planner';

export interface DeliveryOptions {
  /** Test-only fault injection (`RELANCE_FAULT_INJECT`): `deliver-after-send-once` fails the first attempt after its first send. */
  faultInject?: string;
  /** How many records of a batch are delivered at once. */
  concurrency?: number;
}

const MAX_ERRORS_PER_BATCH = 20;

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
 * Delivering a batch of matched records: load them with their facts, plan (src/domain/delivery-planner.ts: which
 * intent on which channel, what is skipped and why, what waits for the send window), execute each intent with its
 * channel (./channels) through the one outbox, count. The outbox gives each kind its policy: database effects
 * (inbox notification, task, memo/stamp) exactly once, emails at most once (a `pending` row that an earlier attempt of
 * this run left is reported in doubt, never resent). A row of another run is that run's delivery: skipped. A failure
 * of the infrastructure fails the activity, which Temporal retries; only a record's own failure is counted `failed`.
 */
export function createDeliveryActivities(deps: { dataSource: DataSource; mailer: Mailer; publicUrl?: string; replyAddresses?: ReplyAddressKeys }, options: DeliveryOptions = {}): DeliveryActivities {
  const { dataSource } = deps;
  const publicUrl = (deps.publicUrl ?? 'http://127.0.0.1:3000').replace(/(?<!\/)\/+$/, '');
  const sweeps = new SweepsRepository(dataSource);
  const deliveries = createDeliveriesRepository(dataSource);
  let faultPending = options.faultInject === 'deliver-after-send-once';
  const outbox = createOutbox(deliveries, {
    heartbeat: () => Context.current().heartbeat(),
    afterSend: () => {
      if (faultPending) {
        faultPending = false;
        throw new Error('fault injected (RELANCE_FAULT_INJECT=deliver-after-send-once): failing after the send, before recording it');
      }
    },
  });
  // One set for every customer email: a statement gets the same reply address, answer links and unsubscribe link.
  const decorations = EMAIL_DECORATIONS.map((make) => make({ dataSource, publicUrl, inbound: deps.replyAddresses }));
  const deliverEmail = createEmailChannel({
    mailer: deps.mailer,
    documents: new InvoiceDocumentsRepository(dataSource),
    decorations,
    transaction: (work) => deliveries.transaction(work),
  });
  const deliverStatement = createStatementChannel({ mailer: deps.mailer, decorations, deliveries });

  /** What a statement's plan lists, resolved to the batch's records, each with its step's occurrence. */
  interface StatementRun {
    listed: ListedInvoice[];
    statement: ReturnType<typeof statementOf>;
  }

  /** One planned item carried out: delivered by its channel, skipped, or refused (the record's failure). */
  async function execute(ctx: DeliveryContext, item: PlannedItem, statement?: StatementRun): Promise<ChannelOutcome & { slot: Slot }> {
    if (item.outcome === 'refuse') return { status: 'failed', error: item.error, slot: item.slot };
    if (item.outcome === 'skip') return { ...toOutcome(await ctx.outbox.skip(outboxIntent(ctx, item.slot), item.reason)), slot: item.slot };
    const intent = item.intent;
    switch (intent.channel) {
      case 'email':
      case 'send':
        if (isStatement(intent) && statement) return { ...(await deliverStatement(ctx, intent, statement.listed, statement.statement)), slot: intent };
        return { ...(await deliverEmail(ctx, intent)), slot: intent };
      case 'push':
        return { ...(await deliverPush(ctx, intent)), slot: intent };
      case 'task':
        return { ...(await deliverTask(ctx, intent)), slot: intent };
      case 'memo':
      case 'stamp':
        return { ...(await deliverMemo(ctx, intent)), slot: intent };
    }
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
      const grouped = def.templateKey === 'collection-sequence' && def.sequence?.groupBy === 'customer';
      const inBatch = new Set(input.recordIds);
      // A statement lists every invoice of the customer with a step due, in this batch or not (a later batch finds
      // those it listed with their step recorded, and leaves them).
      if (grouped) rows.push(...await sweeps.findOtherMatchesOfCustomers(plan, def, asOf, rows, input.recordIds));
      const today = todayIn(def.timezone, asOf);
      const company = { name: def.companyName, currency: def.currency, timezone: def.timezone };
      const records = new Map(rows.map((r) => toSweepRecord(plan.recordType, r, { company, asOf })).map((r) => [r.id, r]));
      const planned = { ...def, actions: def.actions as ReminderAction[], groupBy: def.sequence?.groupBy ?? null };
      const members = await sweeps.findMembers(def.companyId, namedUserIds(planned));
      const plans = planBatch(planned, [...records.values()].map(planFacts), members, { today, now: new Date() });
      // Another batch's invoice takes part here only in a statement; what else it has is its own batch's.
      for (const p of plans) if (!inBatch.has(p.recordId) && !p.items.some((i) => i.outcome === 'deliver' && isStatement(i.intent))) p.items = [];
      result.stillMatching = plans.filter((p) => inBatch.has(p.recordId)).length;

      const deferred = plans.filter((p) => p.deferredUntil !== null && inBatch.has(p.recordId)).map((p) => ({ recordId: p.recordId, at: p.deferredUntil! }));
      if (deferred.length) result.deferred = deferred;

      const context = Context.current();
      const attempt = context.info.attempt;
      const delivered: Parameters<typeof webhookEvents.remindersDelivered>[2] = [];
      /** The invoices a plan's statement lists, each at its step of today, and the statement itself; undefined without one. */
      const statementRun = (ctx: DeliveryContext, items: PlannedItem[]): StatementRun | undefined => {
        const email = items.find((i) => i.outcome === 'deliver' && isStatement(i.intent));
        if (!email || email.outcome !== 'deliver' || !isStatement(email.intent)) return undefined;
        const listed = email.intent.statement.invoices.map(({ recordId, step }) => {
          const listedRecord = records.get(recordId)!;
          return { record: listedRecord, step, occurrence: plan.occurrence({ ...listedRecord.row, step: String(step) }, today) };
        });
        return { listed, statement: statementOf(ctx, email.intent.recipient, listed, today) };
      };
      await inPool(plans.filter((p) => p.deferredUntil === null), options.concurrency ?? 8, async (p) => {
        const record = records.get(p.recordId)!;
        if (p.step !== null) record.row.step = String(p.step);
        const ctx: DeliveryContext = {
          def, runRecordId: input.runRecordId, record, occurrence: plan.occurrence(record.row, today), attempt,
          locale: record.row.customerLocale ?? def.locale, outbox,
        };
        if (p.promiseBroken) await deliveries.transaction((tx) => markBroken(tx, def.companyId, record.id, today));
        const statement = statementRun(ctx, p.items);
        // The statement's texts (its email's and its task's) are over the statement's variables, not one invoice's.
        if (statement) ctx.record = { ...record, variables: statementVariables(statement.statement) };
        const outcomes: Array<ChannelOutcome & { slot: Slot }> = [];
        // Infrastructure failures are thrown through: the activity fails and is retried.
        for (const item of p.items) outcomes.push(await execute(ctx, item, statement));
        context.heartbeat();
        const channels = [...new Set(outcomes.filter((o) => o.status === 'delivered').map((o) => o.slot.channel))];
        if (channels.length > 0) {
          for (const { record: listed, occurrence } of statement?.listed ?? [{ record, occurrence: ctx.occurrence }]) {
            delivered.push({
              definitionId: def.id, templateKey: def.templateKey, runId: input.runRecordId, recordType: listed.recordType, recordId: listed.id,
              occurrence, channels,
            });
          }
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
