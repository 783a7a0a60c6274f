import type Mail from 'nodemailer/lib/mailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import { testEnv } from './env';

export interface CaughtMail {
  id: string;
  envelope: { from: string; to: string[] };
  subject: string;
  text: string;
  html: string | null;
  headers: Record<string, string>;
  /** Every header as written, by lower-case name (folded lines joined). */
  headerLines: Record<string, string>;
  attachments: Array<{ filename: string | null; contentType: string; size: number; content: string }>;
}

export interface MailFilter {
  /** Sign-in links and invitations too (every invited user gets one, at a moment of its own): only the suites about them count them. */
  signIn?: boolean;
}

const isSignIn = (m: CaughtMail) => (m.headers['x-relance-delivery'] ?? '').startsWith('sign-in|');

/** Reads what the real SMTP listener received. */
export async function mailsTo(address: string, filter: MailFilter = {}): Promise<CaughtMail[]> {
  const res = await fetch(`${testEnv().mailCatcherUrl}/api/messages?to=${encodeURIComponent(address)}`);
  const mails = (await res.json()) as CaughtMail[];
  return filter.signIn ? mails : mails.filter((m) => !isSignIn(m));
}

export async function waitForMails(address: string, count: number, timeoutMs = 20000, filter: MailFilter = {}): Promise<CaughtMail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = await mailsTo(address, filter);
    if (mails.length >= count || Date.now() > deadline) return mails;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** What every e2e stack sets (test/support/stack.ts): replies and bounces come back to addresses at this domain. */
export const INBOUND_DOMAIN = 'inbound.relance.test';
export const INBOUND_SECRET = 'inbound-secret-of-the-tests-0123456789abcdef';

/** A caught message's reply address: its Reply-To (VERP: the envelope sender is the same address). */
export function replyAddressOf(mail: CaughtMail): string {
  const replyTo = (mail.headerLines['reply-to'] ?? '').trim();
  const open = replyTo.lastIndexOf('<');
  return open >= 0 ? replyTo.slice(open + 1, replyTo.indexOf('>', open)) : replyTo;
}

function compose(options: Mail.Options): Promise<Buffer> {
  return new MailComposer(options).compile().build();
}

/** A person's answer to a caught message, as their mail client writes it: to its Reply-To, threaded under it. */
export function replyTo(mail: CaughtMail, reply: { from?: string; text?: string; html?: string; subject?: string; headers?: Record<string, string> } = {}): Promise<Buffer> {
  const messageId = mail.headerLines['message-id'];
  return compose({
    from: reply.from ?? mail.envelope.to[0], to: replyAddressOf(mail), subject: reply.subject ?? `Re: ${mail.subject}`,
    ...(reply.text !== undefined || reply.html === undefined ? { text: reply.text ?? 'We paid by wire on Tuesday.' } : {}),
    ...(reply.html !== undefined && { html: reply.html }),
    ...(messageId && { inReplyTo: messageId, references: [messageId] }),
    headers: reply.headers ?? {},
  });
}

/** An automatic answer (out of office) to a caught message. */
export function outOfOfficeReplyTo(mail: CaughtMail, subject = `Automatic reply: ${mail.subject}`): Promise<Buffer> {
  return replyTo(mail, { subject, text: 'I am out of the office until Monday.', headers: { 'Auto-Submitted': 'auto-replied' } });
}

const returnedHeaders = (mail: CaughtMail) => Object.entries(mail.headerLines).map(([k, v]) => `${k}: ${v}`).join('\r\n');

/**
 * The delivery status notification (RFC 3464) an MTA sends back to a caught message's envelope sender when it could
 * not deliver it: `status` 5.x.x permanent, 4.x.x temporary.
 */
export function bounceOf(mail: CaughtMail, status = '5.1.1', diagnostic = `550 ${status} user unknown`): Buffer {
  const recipient = mail.envelope.to[0];
  const boundary = `dsn-${Math.random().toString(36).slice(2)}`;
  return Buffer.from([
    'From: Mail Delivery System <MAILER-DAEMON@mx.customer.test>', `To: ${mail.envelope.from}`, 'Subject: Undelivered Mail Returned to Sender',
    `Date: ${new Date().toUTCString()}`, `Message-ID: <${boundary}@mx.customer.test>`, 'Auto-Submitted: auto-replied', 'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`, '',
    `--${boundary}`, 'Content-Type: text/plain; charset=us-ascii', '', `<${recipient}>: ${diagnostic}`, '',
    `--${boundary}`, 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mx.customer.test', '',
    `Final-Recipient: rfc822; ${recipient}`, `Original-Recipient: rfc822;${recipient}`, 'Action: failed', `Status: ${status}`,
    `Diagnostic-Code: smtp; ${diagnostic}`, '',
    `--${boundary}`, 'Content-Type: text/rfc822-headers', '', returnedHeaders(mail), '', `--${boundary}--`, '',
  ].join('\r\n'));
}

/** The feedback report (RFC 5965, ARF) a mailbox provider sends when its user marks a caught message as spam. */
export function complaintOf(mail: CaughtMail): Buffer {
  const boundary = `arf-${Math.random().toString(36).slice(2)}`;
  return Buffer.from([
    'From: <feedback@mailbox-provider.test>', `To: ${mail.envelope.from}`, 'Subject: complaint about a message', `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0', `Content-Type: multipart/report; report-type=feedback-report; boundary="${boundary}"`, '',
    `--${boundary}`, 'Content-Type: text/plain', '', 'This is an email abuse report.', '',
    `--${boundary}`, 'Content-Type: message/feedback-report', '', 'Feedback-Type: abuse', 'User-Agent: Provider/1.0', 'Version: 1',
    `Original-Mail-From: <${mail.envelope.from}>`, `Original-Rcpt-To: <${mail.envelope.to[0]}>`, '',
    `--${boundary}`, 'Content-Type: text/rfc822-headers', '', returnedHeaders(mail), '', `--${boundary}--`, '',
  ].join('\r\n'));
}

/** POSTs a raw message to the API's inbound endpoint, as an MTA pipe or a provider's hook would. */
export async function postInbound(baseUrl: string, raw: Buffer | string, options: { secret?: string | null; contentType?: string } = {}) {
  const secret = options.secret === undefined ? INBOUND_SECRET : options.secret;
  const res = await fetch(`${baseUrl}/v1/inbound/email`, {
    method: 'POST',
    headers: { 'content-type': options.contentType ?? 'message/rfc822', ...(secret !== null && { authorization: `Bearer ${secret}` }) },
    body: raw,
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: res.status, body: body as { outcome?: string; kind?: string; message?: string } };
}
