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

/** Reads what the real SMTP listener received. */
export async function mailsTo(address: string): Promise<CaughtMail[]> {
  const res = await fetch(`${testEnv().mailCatcherUrl}/api/messages?to=${encodeURIComponent(address)}`);
  return (await res.json()) as CaughtMail[];
}

export async function waitForMails(address: string, count: number, timeoutMs = 20000): Promise<CaughtMail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = await mailsTo(address);
    if (mails.length >= count || Date.now() > deadline) return mails;
    await new Promise((r) => setTimeout(r, 200));
  }
}
