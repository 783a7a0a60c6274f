import { createHash } from 'node:crypto';
import { createTransport, Transporter } from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
  attachments?: Array<{ filename: string; content: Buffer; contentType: string }>;
  /** Where the recipient's answer goes (`Reply-To`). */
  replyTo?: string;
  /** The SMTP envelope, when its sender differs from `From` (a bounce address of the delivery's own). */
  envelope?: { from: string; to: string };
  /**
   * The unique key of the delivery this mail is. It becomes the `X-Relance-Delivery` header and fixes the
   * Message-ID, so that a resend after a crash between SMTP and the "sent" mark is the same message to the receiver.
   */
  deliveryKey?: string;
}

/** The Message-ID of a delivery: the same for every attempt of it. */
export function deliveryMessageId(deliveryKey: string): string {
  return `<${createHash('sha256').update(deliveryKey).digest('hex').slice(0, 40)}@delivery.relance>`;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): void;
}

/**
 * What the transport does unless the URL says otherwise (e.g. `?pool=false`, `?socketTimeout=120000`):
 * - pooling on: a connection per message costs a TCP and SMTP handshake each time, which dominated the cost of an
 *   approval's notifications;
 * - timeouts of 15 s to connect and to be greeted, and 60 s of silence on the socket (nodemailer's defaults are 2 min
 *   and 10 min): a server that stops answering mid-message fails the send (infrastructure, in doubt), instead of
 *   holding the activity's slot long after its heartbeat timeout gave the delivery to another attempt.
 */
const TRANSPORT_DEFAULTS: Record<string, string> = { pool: 'true', connectionTimeout: '15000', greetingTimeout: '15000', socketTimeout: '60000' };

export function pooledSmtpUrl(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  for (const [key, value] of Object.entries(TRANSPORT_DEFAULTS)) if (!url.searchParams.has(key)) url.searchParams.set(key, value);
  return url.toString();
}

/** Sends through the SMTP server of SMTP_URL (the mail catcher in dev and tests). */
export function createMailer(smtpUrl: string, from: string): Mailer {
  const transport: Transporter = createTransport(pooledSmtpUrl(smtpUrl), { from });
  return {
    async send({ deliveryKey, ...mail }) {
      const info = await transport.sendMail({
        from,
        ...mail,
        ...(deliveryKey ? { messageId: deliveryMessageId(deliveryKey), headers: { ...mail.headers, 'X-Relance-Delivery': deliveryKey } } : {}),
      });
      return { messageId: info.messageId };
    },
    close: () => transport.close(),
  };
}
