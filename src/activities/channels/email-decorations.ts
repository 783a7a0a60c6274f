import type { DataSource } from 'typeorm';
import type { Sql } from '../../db/sql';
import { UnsubscribeTokensRepository } from '../../db/unsubscribe-tokens.repository';
import { unsubscribeFooter } from '../../domain/unsubscribe';
import type { OutgoingMail } from '../../infra/mailer';
import { answerLinkDecoration } from './answer-link';
import { type ReplyAddressKeys, verpDecoration } from './verp';

/** The customer email being decorated, as its decorations see it (before it is sent). */
export interface EmailDecorationContext {
  /** Set when the email is decorated inside a transaction; absent: each decoration uses its own statements. */
  tx?: Sql;
  companyId: string;
  customerId: string;
  deliveryKey: string;
  /** The invoices the email is about (one for a reminder or an invoice, each listed one for a statement). */
  invoiceIds: string[];
  /** The customer's locale, else the definition's. */
  locale: string;
  recipient: string;
  kind: 'reminder' | 'invoice' | 'statement';
}

/** What a decoration adds: headers, a reply address and an envelope sender, a line at the end of the body. */
export interface EmailDecorationResult {
  headers?: Record<string, string>;
  replyTo?: string;
  envelopeFrom?: string;
  footerText?: string;
  footerHtml?: string;
}

export type EmailDecoration = (ctx: EmailDecorationContext) => Promise<EmailDecorationResult>;

export interface EmailDecorationDeps {
  dataSource: DataSource;
  /** Where the API is reached from outside, without a trailing slash. */
  publicUrl: string;
  /** INBOUND_DOMAIN and the key reply-address tokens are derived with; absent: no reply addresses. */
  inbound?: ReplyAddressKeys;
}

/** Every reminder (and statement) carries an unsubscribe link of its own, bound to the customer, RFC 8058 one-click as well. */
export const unsubscribeDecoration = (deps: EmailDecorationDeps): EmailDecoration => {
  const tokens = new UnsubscribeTokensRepository(deps.dataSource);
  return async (ctx) => {
    if (ctx.kind === 'invoice') return {};
    const link = `${deps.publicUrl}/unsubscribe/${await tokens.mint(ctx.companyId, ctx.customerId)}`;
    const footer = unsubscribeFooter(link, ctx.locale);
    return {
      footerText: footer.text, footerHtml: footer.html,
      headers: { 'List-Unsubscribe': `<${link}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    };
  };
};

/** The decorations of every customer email, in the order their footers are appended (the answer links above the unsubscribe line). */
export const EMAIL_DECORATIONS: Array<(deps: EmailDecorationDeps) => EmailDecoration> = [answerLinkDecoration, unsubscribeDecoration, verpDecoration];

export type Decorations = Required<Pick<EmailDecorationResult, 'headers' | 'footerText' | 'footerHtml'>> & Pick<EmailDecorationResult, 'replyTo' | 'envelopeFrom'>;

/** Runs the decorations in order: headers merge, footers append, a later reply address or envelope sender wins. */
export async function decorate(decorations: readonly EmailDecoration[], ctx: EmailDecorationContext): Promise<Decorations> {
  const all = { headers: {} as Record<string, string>, footerText: '', footerHtml: '', replyTo: undefined as string | undefined, envelopeFrom: undefined as string | undefined };
  for (const decoration of decorations) {
    const d = await decoration(ctx);
    Object.assign(all.headers, d.headers);
    all.footerText += d.footerText ?? '';
    all.footerHtml += d.footerHtml ?? '';
    all.replyTo = d.replyTo ?? all.replyTo;
    all.envelopeFrom = d.envelopeFrom ?? all.envelopeFrom;
  }
  return all;
}

/** The mail as decorated: its footers after the body, their headers, the reply address as Reply-To and envelope sender. */
export function decoratedMail(mail: OutgoingMail, d: Decorations): OutgoingMail {
  return {
    ...mail, text: `${mail.text}${d.footerText}`, html: mail.html && `${mail.html}${d.footerHtml}`,
    headers: Object.keys(d.headers).length > 0 ? d.headers : undefined,
    replyTo: d.replyTo, envelope: d.envelopeFrom ? { from: d.envelopeFrom, to: mail.to } : undefined,
  };
}
