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
