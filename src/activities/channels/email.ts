import type { Sql } from '../../db/sql';
import { deliveryEffects } from '../../db/delivery-effects';
import { InvoiceDocumentsRepository } from '../../db/invoice-documents.repository';
import { recordOutgoing } from '../../db/invoice-messages.repository';
import type { Intent } from '../../domain/delivery-planner';
import { beforeSending } from '../../infra/delivery-failures';
import { invoicePdfFilename, renderInvoicePdf } from '../../infra/invoice-pdf';
import type { Mailer } from '../../infra/mailer';
import { deliveryPolicies } from '../../infra/outbox';
import { type ChannelOutcome, type DeliveryContext, outboxIntent, render, toOutcome } from './context';
import { decorate, decoratedMail, type EmailDecoration } from './email-decorations';

export interface EmailChannelDeps {
  mailer: Mailer;
  documents: InvoiceDocumentsRepository;
  /** The decorations of customer emails (unsubscribe link, reply address, ...), in order. */
  decorations: readonly EmailDecoration[];
  /** Runs database work in one transaction (what goes with a delivery in doubt). */
  transaction: <T>(work: (tx: Sql) => Promise<T>) => Promise<T>;
}

type EmailIntent = Extract<Intent, { channel: 'email' | 'send' }>;

/**
 * An email of a run, at most once: claimed `pending`, sent, marked `sent` with what goes with it in one transaction
 * (the invoice marked sent, the sequence's progress, the invoice's messages). A sequence step never goes after a later
 * one of the invoice (`guard`, in the claim's transaction), and its progress is recorded with its doubt too (in doubt
 * is never sent again: without it the invoice would wait for that step for ever under catch-up `all`).
 */
export function createEmailChannel(deps: EmailChannelDeps) {
  /** The invoice as the PDF that the send and steps with `attachInvoicePdf` attach. */
  async function invoicePdf(companyId: string, invoiceId: string) {
    const document = await deps.documents.find(companyId, invoiceId);
    if (!document) return [];
    return [{ filename: invoicePdfFilename(document.invoice.number), content: await renderInvoicePdf(document), contentType: 'application/pdf' }];
  }

  return async function deliverEmail(ctx: DeliveryContext, intent: EmailIntent): Promise<ChannelOutcome> {
    const { def, record } = ctx;
    const customerId = record.row.customerId;
    const kind = intent.audience === 'customer' ? intent.kind : null;
    let sent: { subject: string; text: string } | undefined;
    const send = async (key: string) => {
      const mail = render(ctx, intent.message, true);
      sent = mail;
      const attachments = intent.attachPdf ? await beforeSending(() => invoicePdf(def.companyId, record.id)) : undefined;
      if (!kind || !customerId) {
        await deps.mailer.send({ to: intent.recipient, subject: mail.subject, text: mail.text, html: mail.html, deliveryKey: key, attachments });
        return;
      }
      const d = await beforeSending(() => decorate(deps.decorations, {
        companyId: def.companyId, customerId, deliveryKey: key, invoiceIds: [record.id], locale: ctx.locale, recipient: intent.recipient, kind,
      }));
      await deps.mailer.send(decoratedMail({ to: intent.recipient, subject: mail.subject, text: mail.text, html: mail.html, deliveryKey: key, attachments }, d));
    };
    const step = intent.sequenceStep;
    const progress = step === null ? undefined : (tx: Sql) => deliveryEffects.recordSequenceStep(tx, def.id, record.id, step);
    const onSent = async (tx: Sql) => {
      if (intent.marksInvoiceSent) await deliveryEffects.markInvoiceSent(tx, record.id);
      if (progress) await progress(tx);
      if (kind && sent && record.recordType === 'invoice') {
        await recordOutgoing(tx, {
          companyId: def.companyId, invoiceIds: [record.id], kind, subject: sent.subject, bodyText: sent.text, toAddress: intent.recipient,
          deliveryKey: outboxIntent(ctx, intent).key,
        });
      }
    };
    const outcome = await ctx.outbox.deliver(outboxIntent(ctx, intent), {
      policy: intent.marksInvoiceSent ? deliveryPolicies.invoiceSend : deliveryPolicies.reminderEmail,
      send,
      onSent,
      guard: step === null ? undefined : (tx) => deliveryEffects.sequenceStepMayGo(tx, { companyId: def.companyId, definitionId: def.id, invoiceId: record.id, step }),
    });
    if (outcome.status === 'inDoubt' && progress) await deps.transaction(progress);
    return toOutcome(outcome);
  };
}

export type EmailChannel = ReturnType<typeof createEmailChannel>;
