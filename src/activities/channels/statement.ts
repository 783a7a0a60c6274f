import { createHash, randomUUID } from 'node:crypto';
import type { DeliveriesRepository, DeliveryRow } from '../../db/deliveries.repository';
import { deliveryEffects } from '../../db/delivery-effects';
import { recordOutgoing } from '../../db/invoice-messages.repository';
import type { Sql } from '../../db/sql';
import type { SweepRecord } from '../../db/sweep-plans';
import type { Intent } from '../../domain/delivery-planner';
import { type Statement, statementLineOf, statementLines, statementPdfFilename, statementVariables } from '../../domain/statements';
import { beforeSending } from '../../infra/delivery-failures';
import type { Mailer } from '../../infra/mailer';
import { deliveryPolicies } from '../../infra/outbox';
import { renderStatementPdf } from '../../infra/statement-pdf';
import { type ChannelOutcome, type DeliveryContext, deliveryKey, render, toOutcome } from './context';
import { decorate, decoratedMail, type EmailDecoration } from './email-decorations';

export interface StatementChannelDeps {
  mailer: Mailer;
  /** The decorations of customer emails (unsubscribe link, reply address, ...), in order. */
  decorations: readonly EmailDecoration[];
  deliveries: Pick<DeliveriesRepository, 'claim' | 'transaction'>;
}

type EmailIntent = Extract<Intent, { channel: 'email' | 'send' }>;
export type StatementIntent = EmailIntent & { statement: NonNullable<EmailIntent['statement']> };

export function isStatement(intent: Intent): intent is StatementIntent {
  return 'statement' in intent && intent.statement !== undefined;
}

/** An invoice the statement lists: its sweep record, the step it is at today and that step's occurrence. */
export interface ListedInvoice {
  record: SweepRecord;
  step: number;
  occurrence: string;
}

/**
 * The statement's own delivery: the customer's, of the day, for exactly the invoice steps it lists. Two runs at once
 * (a schedule and a run-now) list the same steps and meet on this key, so the customer gets one email; a later run
 * that finds another invoice due lists only it (the others' steps are recorded), under another key.
 */
export function statementOccurrence(day: string, invoices: ReadonlyArray<{ recordId: string; step: number }>): string {
  const steps = invoices.map((i) => `${i.recordId}:${i.step}`).sort().join(',');
  return `statement-${day}-${createHash('sha256').update(steps).digest('hex').slice(0, 16)}`;
}

/**
 * The statement a customer gets, from the invoices it lists (their message variables), as of the run's day, in the
 * customer's locale (else the definition's).
 */
export function statementOf(ctx: DeliveryContext, email: string, invoices: readonly ListedInvoice[], asOf: string): Statement {
  const { def } = ctx;
  return {
    company: { name: def.companyName, locale: ctx.locale, currency: def.currency, timezone: def.timezone },
    customer: { name: String(invoices[0].record.variables.customerName ?? ''), email },
    asOf,
    lines: statementLines(invoices.map((i) => statementLineOf(i.record.id, i.record.variables))),
  };
}

/**
 * A statement, at most once: one email listing every invoice, with the statement PDF, under a key of its own (the
 * customer's, `statementOccurrence`). Its claim's transaction checks that each listed invoice's step may still go
 * (locked in one order, so that two claims never wait on each other); its `sent` mark records, in one transaction, each
 * invoice's progress, each invoice's step under that step's own key (as if sent alone: counted once, never again),
 * and the email in each invoice's messages. In doubt, the progress is recorded all the same (never sent again).
 */
export function createStatementChannel(deps: StatementChannelDeps) {
  return async function deliverStatement(ctx: DeliveryContext, intent: StatementIntent, invoices: readonly ListedInvoice[], statement: Statement): Promise<ChannelOutcome> {
    const { def } = ctx;
    const customerId = intent.statement.customerId;
    const listed = [...invoices].sort((a, b) => (a.record.id < b.record.id ? -1 : a.record.id > b.record.id ? 1 : 0));
    const invoiceIds = listed.map((i) => i.record.id);
    const variables = statementVariables(statement);
    const occurrence = statementOccurrence(statement.asOf, intent.statement.invoices);
    const own = { recordType: 'customer', id: customerId };
    const row: DeliveryRow & { attempt: number } = {
      key: deliveryKey(def.id, own, occurrence, intent),
      owner: { companyId: def.companyId, definitionId: def.id, runId: ctx.runRecordId, recordType: own.recordType, recordId: customerId },
      occurrence, channel: 'email', recipient: intent.recipient, attempt: ctx.attempt,
    };

    let sent: { subject: string; text: string } | undefined;
    const send = async (key: string) => {
      const mail = render(ctx, intent.message, true, { variables, locale: ctx.locale });
      sent = mail;
      const pdf = await beforeSending(() => renderStatementPdf(statement));
      const d = await beforeSending(() => decorate(deps.decorations, {
        companyId: def.companyId, customerId, deliveryKey: key, invoiceIds, locale: ctx.locale, recipient: intent.recipient, kind: 'statement',
      }));
      await deps.mailer.send(decoratedMail({
        to: intent.recipient, subject: mail.subject, text: mail.text, html: mail.html, deliveryKey: key,
        attachments: [{ filename: statementPdfFilename(statement.asOf), content: pdf, contentType: 'application/pdf' }],
      }, d));
    };
    const progress = async (tx: Sql) => {
      for (const i of listed) await deliveryEffects.recordSequenceStep(tx, def.id, i.record.id, i.step);
    };
    const onSent = async (tx: Sql) => {
      await progress(tx);
      for (const i of listed) {
        const slot = { channel: 'email', recipient: intent.recipient } as const;
        await deps.deliveries.claim({
          key: deliveryKey(def.id, i.record, i.occurrence, slot),
          owner: { companyId: def.companyId, definitionId: def.id, runId: ctx.runRecordId, recordType: i.record.recordType, recordId: i.record.id },
          occurrence: i.occurrence, ...slot,
        }, { status: 'sent', retakePending: true, token: randomUUID() }, tx);
      }
      if (sent) {
        await recordOutgoing(tx, { companyId: def.companyId, invoiceIds, kind: 'statement', subject: sent.subject, bodyText: sent.text, toAddress: intent.recipient, deliveryKey: row.key });
      }
    };
    const guard = async (tx: Sql) => {
      for (const i of listed) {
        if (!(await deliveryEffects.sequenceStepMayGo(tx, { companyId: def.companyId, definitionId: def.id, invoiceId: i.record.id, step: i.step }))) return false;
      }
      return true;
    };
    const outcome = await ctx.outbox.deliver(row, { policy: deliveryPolicies.reminderEmail, send, onSent, guard });
    if (outcome.status === 'inDoubt') await deps.deliveries.transaction(progress);
    return toOutcome(outcome);
  };
}

export type StatementChannel = ReturnType<typeof createStatementChannel>;
