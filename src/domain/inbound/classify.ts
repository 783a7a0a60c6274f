import type { InboundEvent } from './inbound-event';
import { fieldGroups, type ReportPart } from './report';

/** An inbound message once parsed (the API parses it with mailparser): what the classifiers read. */
export interface InboundMessage {
  /** Every value of a header, by name, as written (unfolded); [] when absent. */
  headers(name: string): string[];
  /** The sender's address (From), '' when none. */
  from: string;
  /** Decoded (RFC 2047). */
  subject: string;
  /** The plain text: the text part, or the HTML part turned into text when there is no text part. */
  text: string;
  /** A multipart/report (RFC 6522): its report-type and its parts. */
  report?: { type: string; parts: ReportPart[] };
}

/** What is kept of a person's text and subject: a reply quoting a long thread stays readable, and bounded. */
export const MAX_REPLY_TEXT = 50_000;
const MAX_SUBJECT = 998;
const MAX_DIAGNOSTIC = 500;

const address = (field: string | undefined) => (field ?? '').replace(/^[^;]*;/, '').trim().replace(/^<(.*)>$/, '$1').trim();

/**
 * A delivery status notification, RFC 3464: the first recipient whose `Action` is `failed`. Its `Status` class says
 * which (RFC 3463): 4.x.x temporary, anything else permanent. `delayed`, `delivered`, `relayed` and `expanded`
 * reports say the message is on its way: null, like any report without a failed recipient.
 */
export function deliveryFailure(parts: readonly ReportPart[]): Extract<InboundEvent, { kind: 'bounce' }> | null {
  const report = parts.find((p) => p.contentType === 'message/delivery-status' || p.contentType === 'message/global-delivery-status');
  if (!report) return null;
  const failed = fieldGroups(report.body).slice(1).find((g) => g.get('action')?.toLowerCase().split(/[\s(]/)[0] === 'failed');
  if (!failed) return null;
  const status = /^[245]\.\d{1,3}\.\d{1,3}/.exec(failed.get('status') ?? '')?.[0] ?? '5.0.0';
  const diagnostic = failed.get('diagnostic-code')?.replace(/^[^;]*;\s*/, '').slice(0, MAX_DIAGNOSTIC);
  return {
    kind: 'bounce', permanent: !status.startsWith('4.'), status,
    recipient: address(failed.get('original-recipient') ?? failed.get('final-recipient')),
    ...(diagnostic && { diagnostic }),
  };
}

/**
 * A complaint, RFC 5965 (ARF): a feedback report whose `Feedback-Type` is a person's complaint (abuse, fraud, virus,
 * other; RFC 5965 §7.3). `not-spam` and `auth-failure` reports are no complaint: null.
 */
export function complaint(parts: readonly ReportPart[]): Extract<InboundEvent, { kind: 'complaint' }> | null {
  const report = parts.find((p) => p.contentType === 'message/feedback-report');
  if (!report) return null;
  const fields = fieldGroups(report.body)[0] ?? new Map<string, string>();
  const feedbackType = fields.get('feedback-type')?.toLowerCase();
  if (feedbackType && !['abuse', 'fraud', 'virus', 'other'].includes(feedbackType)) return null;
  return { kind: 'complaint', recipient: address(fields.get('original-rcpt-to')), ...(feedbackType && { feedbackType }) };
}

/** Lowercase, without diacritics, one space for every run of whitespace (no-break spaces too). */
function normalized(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

// What out-of-office replies begin with, in English and French, after any "Re:"/"TR:" a client put before them.
// Some clients bracket it ("[Out of Office] ...") or hyphenate it ("Out-of-Office reply").
const OUT_OF_OFFICE = /^(?:(?:re|tr|fw|fwd|aw) ?: ?)*\[?(?:automatic reply|auto[- ]?reply|autoreply|auto-response|out[- ]of[- ](?:the[- ])?office|away from (?:the )?office|reponse automatique|reponse d'absence|absent du bureau|absence du bureau|message d'absence|absent\(e\)|absent ?:|en conge|auto ?:)/;

/**
 * An automatic reply: RFC 3834 §5 `Auto-Submitted` other than `no`; the de-facto `X-Autoreply`, `X-Autorespond` and
 * `Precedence: auto_reply | bulk | junk`; an out-of-office subject in English or French; or a bounce that is no RFC 3464
 * report (from MAILER-DAEMON or postmaster).
 */
export function isAutoReply(message: InboundMessage): boolean {
  const first = (name: string) => message.headers(name)[0]?.trim().toLowerCase();
  const submitted = first('auto-submitted')?.split(';')[0].trim();
  if (submitted && submitted !== 'no') return true;
  if (message.headers('x-autoreply').length > 0 || message.headers('x-autorespond').length > 0) return true;
  if (['auto_reply', 'bulk', 'junk'].includes(first('precedence') ?? '')) return true;
  if (/^(?:mailer-daemon|postmaster)@/i.test(message.from)) return true;
  return OUT_OF_OFFICE.test(normalized(message.subject));
}

/**
 * What an inbound message is: a bounce (RFC 3464), a complaint (RFC 5965), an automatic reply (RFC 3834), or else a
 * person's reply, kept as plain text only. Reports go first: bounces and feedback reports carry `Auto-Submitted` too.
 */
export function classifyInbound(message: InboundMessage): InboundEvent {
  const subject = message.subject.slice(0, MAX_SUBJECT);
  const report = message.report;
  const reportEvent = report?.type === 'delivery-status' || report?.type === 'global-delivery-status' ? deliveryFailure(report.parts)
    : report?.type === 'feedback-report' ? complaint(report.parts) : null;
  if (reportEvent) return reportEvent;
  if (report || isAutoReply(message)) return { kind: 'auto_reply', from: message.from, subject };
  return { kind: 'reply', from: message.from, subject, text: message.text.trim().slice(0, MAX_REPLY_TEXT) };
}
