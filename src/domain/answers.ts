import { addDays, isValidDate } from './dates';
import { catalogueLocale } from './templates';

/** How long a reminder's answer link works (and never once its invoice is paid). */
export const ANSWER_LINK_DAYS = 60;
/** "I have already paid": reminders wait this long for the payment to be matched. */
export const SAID_PAID_PAUSE_DAYS = 7;
/** The pause a customer's "I have already paid" sets (the invoice's existing pause columns). */
export const SAID_PAID_REASON = 'customer says paid';
/** A promise may name a day at most this far ahead. */
export const PROMISE_MAX_DAYS_AHEAD = 60;
/** Reminders stay paused this many days past the promised day before the promise counts as broken. */
export const PROMISE_GRACE_DAYS = 2;
/** Promises an invoice may receive; the next one is refused (the team decides then). */
export const MAX_PROMISES = 2;
export const MAX_ANSWER_TEXT = 2000;
export const MAX_REFERENCE = 200;

export type AnswerKind = 'already_paid' | 'dispute' | 'promise';

export type Answer =
  | { kind: 'already_paid'; reference: string | null }
  | { kind: 'dispute'; reason: string }
  | { kind: 'promise'; payOn: string };

/** Why a posted answer is refused; each has a sentence on the page. */
export type AnswerRefusal = 'unknown_answer' | 'reason_required' | 'date_required' | 'date_past' | 'date_too_far' | 'too_many_promises' | 'disputed';

/** What the invoice allows when the customer answers. */
export interface AnswerContext {
  /** Today in the customer's time zone (the company's when unset). */
  today: string;
  promisesMade: number;
  disputed: boolean;
}

/** The last day reminders stay paused for a promise to pay on `payOn`: it is broken the day after, if still unpaid. */
export function promiseGraceUntil(payOn: string): string {
  return addDays(payOn, PROMISE_GRACE_DAYS);
}

/** Whether a promise to pay on `payOn` is broken on `today` (its invoice still unpaid). */
export function isPromiseBroken(payOn: string, today: string): boolean {
  return today > promiseGraceUntil(payOn);
}

/** The latest day a promise made on `today` may name. */
export function latestPromiseDay(today: string): string {
  return addDays(today, PROMISE_MAX_DAYS_AHEAD);
}

/** Whether the customer may still promise: fewer than MAX_PROMISES so far and no open dispute. */
export function canPromise(ctx: AnswerContext): boolean {
  return ctx.promisesMade < MAX_PROMISES && !ctx.disputed;
}

const text = (v: unknown, max: number): string => (typeof v === 'string' ? v.trim().slice(0, max) : '');

/**
 * The answer a page's form posted (`answer`, and `reference`, `reason` or `payOn`), judged against the invoice: an
 * answer, or why it is refused. A dispute already open takes no other dispute or promise (the team answers it first);
 * "already paid" is always heard.
 */
export function parseAnswer(form: Record<string, unknown>, ctx: AnswerContext): { answer: Answer } | { refused: AnswerRefusal } {
  switch (form.answer) {
    case 'already_paid':
      return { answer: { kind: 'already_paid', reference: text(form.reference, MAX_REFERENCE) || null } };
    case 'dispute': {
      if (ctx.disputed) return { refused: 'disputed' };
      const reason = text(form.reason, MAX_ANSWER_TEXT);
      return reason ? { answer: { kind: 'dispute', reason } } : { refused: 'reason_required' };
    }
    case 'promise': {
      if (ctx.disputed) return { refused: 'disputed' };
      if (ctx.promisesMade >= MAX_PROMISES) return { refused: 'too_many_promises' };
      const payOn = typeof form.payOn === 'string' ? form.payOn.trim() : '';
      if (!isValidDate(payOn)) return { refused: 'date_required' };
      if (payOn < ctx.today) return { refused: 'date_past' };
      if (payOn > latestPromiseDay(ctx.today)) return { refused: 'date_too_far' };
      return { answer: { kind: 'promise', payOn } };
    }
    default:
      return { refused: 'unknown_answer' };
  }
}

/** Why a link shows no forms: unknown, expired, or its invoice paid. */
export type LinkState = 'valid' | 'expired' | 'paid';

/** A link works until it expires and while its invoice has something left to pay (balance as money text). */
export function linkState(link: { expiresAt: Date; balance: string }, now: Date): LinkState {
  if (!/[1-9]/.test(link.balance) || link.balance.startsWith('-')) return 'paid';
  return link.expiresAt.getTime() <= now.getTime() ? 'expired' : 'valid';
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The lines a reminder carries above its unsubscribe line: one answer link per invoice it is about. */
export function answerLinksFooter(links: Array<{ invoiceNumber: string; url: string }>, locale: string): { text: string; html: string } {
  if (links.length === 0) return { text: '', html: '' };
  const fr = catalogueLocale(locale) === 'fr-CA';
  const ask = fr ? 'Déjà payé, une contestation ou une date de paiement à nous donner ?' : 'Already paid, disputing it, or paying on a date?';
  const tell = (n: string) => (fr ? `Répondre pour la facture ${n}` : `Answer for invoice ${n}`);
  if (links.length === 1) {
    const [{ url, invoiceNumber }] = links;
    return {
      text: `\n\n${ask} ${tell(invoiceNumber)}: ${url}`,
      html: `<p style="font-size:13px">${escape(ask)} <a href="${escape(url)}">${escape(tell(invoiceNumber))}</a></p>`,
    };
  }
  return {
    text: `\n\n${ask}\n${links.map((l) => `- ${tell(l.invoiceNumber)}: ${l.url}`).join('\n')}`,
    html: `<p style="font-size:13px">${escape(ask)}</p><ul style="font-size:13px">`
      + `${links.map((l) => `<li><a href="${escape(l.url)}">${escape(tell(l.invoiceNumber))}</a></li>`).join('')}</ul>`,
  };
}
