import { createTransport } from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
}

/** Sends one email; activities depend on this interface so that tests can pass their own. */
export interface Mailer {
  send(msg: MailMessage): Promise<{ messageId: string }>;
}

/** The SMTP mailer (nodemailer) of the worker; `from` is the sender of every message. */
export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = createTransport(smtpUrl, { from });
  return {
    async send(msg) {
      const info = await transport.sendMail(msg);
      return { messageId: info.messageId };
    },
  };
}
