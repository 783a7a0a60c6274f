import type { SweepRecord } from '../../db/sweep-plans';
import type { SweepDefinition } from '../../db/sweep-query';
import type { Slot } from '../../domain/delivery-planner';
import { renderHtmlBody, renderMessage } from '../../domain/messages';
import { RenderFailed } from '../../infra/delivery-failures';
import type { DeliveryIntent, DeliveryOutcome, Outbox } from '../../infra/outbox';

/** One record of a run, as each channel delivers to it. */
export interface DeliveryContext {
  def: SweepDefinition;
  runRecordId: string;
  record: SweepRecord;
  occurrence: string;
  /** The activity's attempt (1 for the first). */
  attempt: number;
  /** The customer's locale, else the definition's. */
  locale: string;
  outbox: Outbox;
}

/** What became of one planned item, as the run counts it. A sweep counts an in-doubt delivery as failed. */
export type ChannelOutcome = { status: 'delivered' | 'skipped' } | { status: 'failed'; error: string };

export function toOutcome(o: DeliveryOutcome): ChannelOutcome {
  if (o.status === 'inDoubt' || o.status === 'failed') return { status: 'failed', error: o.error };
  return { status: o.status };
}

/** The key that the unique index of `deliveries` holds: one delivery per definition, record, occurrence, channel, recipient. */
export function deliveryKey(definitionId: string, record: { recordType: string; id: string }, occurrence: string, slot: Slot): string {
  return `${definitionId}|${record.recordType}:${record.id}|${occurrence}|${slot.channel}|${slot.recipient}`;
}

/** The outbox's row for a slot of the record. */
export function outboxIntent(ctx: DeliveryContext, slot: Slot): DeliveryIntent {
  const { def, record } = ctx;
  return {
    key: deliveryKey(def.id, record, ctx.occurrence, slot),
    owner: { companyId: def.companyId, definitionId: def.id, runId: ctx.runRecordId, recordType: record.recordType, recordId: record.id },
    occurrence: ctx.occurrence,
    channel: slot.channel,
    recipient: slot.recipient,
    attempt: ctx.attempt,
  };
}

/**
 * A message of the record (or of given variables, in a given locale: a statement's), rendered inside its delivery's
 * effect: one that fails to render is that delivery's recorded failure.
 */
export function render(
  ctx: DeliveryContext, msg: { subject: string; body: string }, html: boolean,
  of: { variables: Record<string, unknown>; locale: string } = { variables: ctx.record.variables, locale: ctx.def.locale },
): { subject: string; text: string; html?: string } {
  const options = { locale: of.locale, currency: ctx.def.currency, timezone: ctx.def.timezone };
  try {
    const plain = renderMessage(msg, of.variables, { ...options, html: false });
    return { subject: plain.subject, text: plain.body, html: html ? renderHtmlBody(msg.body, of.variables, options) : undefined };
  } catch (err) {
    throw new RenderFailed(err);
  }
}
