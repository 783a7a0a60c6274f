/**
 * What a failed delivery step means for its record:
 * - `record`: the record's own failure (an address refused with a permanent 5xx, invalid data): recorded `failed`,
 *   and the batch goes on; a later run takes the row again.
 * - `infrastructure`: something the record does not cause (database or SMTP unreachable, a timeout, a 4xx "try
 *   later"): the activity fails and Temporal retries it with backoff. `effect` says whether the effect surely did not
 *   happen (`not-done`: the claim can be released and the retry sends it) or may have (`unknown`: a delivery at most
 *   once is then in doubt).
 */
export type FailureClass =
  | { kind: 'record'; reason: string }
  | { kind: 'infrastructure'; effect: 'not-done' | 'unknown'; reason: string };

/** A webhook receiver's answer that was not 2xx. */
export class WebhookAnswered extends Error {
  constructor(readonly url: string, readonly status: number) {
    super(`webhook ${url} answered ${status}`);
    this.name = 'WebhookAnswered';
  }
}

/**
 * A failure of what an effect does before anything leaves (reading the invoice's PDF, minting an unsubscribe link):
 * nothing was sent, whatever the cause, so an at-most-once claim is given back instead of left in doubt.
 */
export class NotSent extends Error {
  constructor(override readonly cause: unknown) {
    super(`not sent: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'NotSent';
  }
}

/** Runs the part of an effect that comes before its send; its failures are `NotSent`. */
export async function beforeSending<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw new NotSent(err);
  }
}

/**
 * A record's message that cannot be rendered (a helper throwing on its data, a template stored before the save-time
 * check refused it): the record's own failure, the same on every retry, never the batch's.
 */
export class RenderFailed extends Error {
  constructor(override readonly cause: unknown) {
    super(`the message could not be rendered: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'RenderFailed';
  }
}

interface ErrorFacts {
  message?: string;
  code?: unknown;
  syscall?: unknown;
  responseCode?: unknown;
  command?: unknown;
  name?: unknown;
  severity?: unknown;
  cause?: unknown;
}

// Node's socket errors: the first set means no connection was made, so nothing was sent over it.
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOENT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
const CONNECTION_LOST = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);
// nodemailer's codes for a connection that failed or dropped; which of the two is read from `syscall` and the reply.
const SMTP_CONNECTION = new Set(['ECONNECTION', 'ESOCKET', 'ETIMEDOUT', 'EDNS']);
// The SMTP commands whose permanent refusal is about this message or recipient, not about our server or account.
const SMTP_RECORD_COMMANDS = new Set(['RCPT TO', 'DATA']);

const message = (e: ErrorFacts): string => String(e.message ?? e).slice(0, 1000);

/**
 * Classifies an error thrown by a delivery's effect or by the database around it.
 *
 * - Postgres: SQLSTATE classes 22 (data exception) and 23 (integrity constraint) are the record's data, which fails
 *   the same way on every retry; every other database error (connection, shutdown 57P01, deadlock 40P01, ...) is
 *   infrastructure, whose statement may have committed when the connection went (classes 08 and 57).
 * - SMTP: a reply 5xx to RCPT TO or DATA (or nodemailer's envelope/message refusals without a reply) is the record's;
 *   4xx replies, 5xx to the connection, AUTH or MAIL FROM (our account or server), and connection errors are
 *   infrastructure. A reply or a refused connection means the message was not accepted (`not-done`); a connection
 *   lost in the middle may have delivered it (`unknown`).
 * - Webhooks: network errors, timeouts and answers 408, 429 and 5xx are infrastructure (retried with backoff; the
 *   receiver deduplicates with `X-Relance-Delivery`); any other non-2xx answer is the record's (the receiver refuses
 *   this delivery, retrying would not change it). A timeout may have been received (`unknown`); an answer was not
 *   accepted (`not-done`).
 * - A message that cannot be rendered (`RenderFailed`) is the record's.
 * - Anything else is infrastructure with an unknown effect: the cautious reading.
 */
export function classifyFailure(err: unknown): FailureClass {
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as ErrorFacts;
  const reason = message(e);
  const infrastructure = (effect: 'not-done' | 'unknown'): FailureClass => ({ kind: 'infrastructure', effect, reason });

  if (err instanceof RenderFailed) return { kind: 'record', reason };

  if (err instanceof NotSent) {
    const cause = classifyFailure(err.cause);
    return cause.kind === 'infrastructure' ? { ...cause, effect: 'not-done' } : cause;
  }

  if (err instanceof WebhookAnswered) {
    const transient = err.status === 408 || err.status === 429 || err.status >= 500;
    return transient ? infrastructure('not-done') : { kind: 'record', reason };
  }

  const code = typeof e.code === 'string' ? e.code : undefined;
  // A Postgres error (pg's DatabaseError): a five-character SQLSTATE with a severity.
  if (code && /^[0-9A-Z]{5}$/.test(code) && e.severity !== undefined) {
    if (code.startsWith('22') || code.startsWith('23')) return { kind: 'record', reason };
    // Connection exceptions and a server shutting down (57P01) may have cut a statement after it committed.
    return infrastructure(code.startsWith('08') || code.startsWith('57') ? 'unknown' : 'not-done');
  }

  if (typeof e.responseCode === 'number') {
    const command = typeof e.command === 'string' ? e.command : '';
    if (e.responseCode >= 500 && SMTP_RECORD_COMMANDS.has(command)) return { kind: 'record', reason };
    return infrastructure('not-done');
  }
  if (code === 'EENVELOPE' || code === 'EMESSAGE') return { kind: 'record', reason };

  if (e.name === 'TimeoutError' || e.name === 'AbortError') return infrastructure('unknown');
  if (code && NOT_CONNECTED.has(code)) return infrastructure('not-done');
  if (e.syscall === 'connect' || e.syscall === 'getaddrinfo') return infrastructure('not-done');
  if (code && (SMTP_CONNECTION.has(code) || CONNECTION_LOST.has(code))) return infrastructure('unknown');
  // fetch() wraps the socket's error: `TypeError: fetch failed` with the reason in `cause`.
  if (e.cause && e.cause !== err) {
    const inner = classifyFailure(e.cause);
    return inner.kind === 'infrastructure' ? { ...inner, reason } : infrastructure('unknown');
  }
  return infrastructure('unknown');
}

/** Whether an error is infrastructure's: used to retry the outbox's own bookkeeping statements. */
export function isInfrastructure(err: unknown): boolean {
  return classifyFailure(err).kind === 'infrastructure';
}
