import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ANSWER_LINK_DAYS } from '../domain/answers';
import type { Sql } from './sql';

/** 256 random bits, base64url (43 characters, safe in a path); only its SHA-256 is stored. */
export function newResponseToken(): string {
  return randomBytes(32).toString('base64url');
}

export function responseTokenHash(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

/** Whether `token` has the shape of one, before any lookup. */
export function isResponseToken(token: string): boolean {
  return TOKEN_RE.test(token);
}

/** What a link was minted for: one invoice of one delivery (a statement mints one per invoice it lists). */
export interface NewResponseLink {
  companyId: string;
  deliveryKey: string;
  invoiceId: string;
  customerId: string;
  /** The link works ANSWER_LINK_DAYS from this instant. */
  now: Date;
}

/** Everything the answer page shows and decides on, as the link finds it. */
export interface ResponseLinkPage {
  linkId: string;
  companyId: string;
  deliveryKey: string;
  expiresAt: Date;
  invoice: {
    id: string; number: string; amount: string; balance: string; dueDate: string; createdBy: string;
    disputedAt: Date | null; promisedOn: string | null; promisesMade: number;
  };
  customer: { id: string; name: string; locale: string | null; timezone: string | null };
  company: { name: string; locale: string; timezone: string; currency: string };
}

/** The answer links of reminders. Statements take `db`: the caller's transaction or the pool. */
export class ResponseLinksRepository {
  constructor(private readonly db: Sql) {}

  /** A new link; answers its token (shown once, in the email). */
  async mint(link: NewResponseLink): Promise<string> {
    const token = newResponseToken();
    await this.db.query(
      `INSERT INTO response_links (company_id, token_hash, delivery_key, invoice_id, customer_id, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [link.companyId, responseTokenHash(token), link.deliveryKey, link.invoiceId, link.customerId,
        new Date(link.now.getTime() + ANSWER_LINK_DAYS * 86_400_000)],
    );
    return token;
  }

  /**
   * A link for each invoice of a delivery that still has something to pay (a statement lists several), in one
   * statement; answers each invoice's number and token, in the order given. Invoices of another company get none.
   */
  async mintForDelivery(d: { companyId: string; deliveryKey: string; customerId: string; invoiceIds: string[]; now: Date }): Promise<Array<{ invoiceId: string; invoiceNumber: string; token: string }>> {
    if (d.invoiceIds.length === 0) return [];
    const tokens = d.invoiceIds.map(() => newResponseToken());
    const rows = await this.db.query<{ invoice_id: string; number: string; n: number }>(
      `WITH given AS (
         SELECT * FROM unnest($4::uuid[], $5::bytea[]) WITH ORDINALITY AS g(invoice_id, token_hash, n)
       ), minted AS (
         INSERT INTO response_links (company_id, token_hash, delivery_key, invoice_id, customer_id, expires_at)
         SELECT $1, g.token_hash, $2, i.id, $3, $6 FROM given g
           JOIN invoices i ON i.id = g.invoice_id AND i.company_id = $1 AND i.customer_id = $3 AND i.balance > 0
         RETURNING invoice_id, token_hash
       )
       SELECT m.invoice_id, i.number, g.n::int AS n FROM minted m JOIN given g ON g.token_hash = m.token_hash JOIN invoices i ON i.id = m.invoice_id
        ORDER BY g.n`,
      [d.companyId, d.deliveryKey, d.customerId, d.invoiceIds, tokens.map(responseTokenHash),
        new Date(d.now.getTime() + ANSWER_LINK_DAYS * 86_400_000)],
    );
    return rows.map((r) => ({ invoiceId: r.invoice_id, invoiceNumber: r.number, token: tokens[r.n - 1] }));
  }

  /**
   * The link's page, or null for a token Relance did not issue (malformed ones never reach the database). The invoice
   * and the customer are read through the link's company: a link row naming another company's invoice finds nothing.
   * `lock`: holds the invoice's row until the caller's transaction ends (an answer is judged on what it locked).
   */
  async findPage(token: string, options: { lock?: boolean } = {}): Promise<ResponseLinkPage | null> {
    if (!isResponseToken(token)) return null;
    const hash = responseTokenHash(token);
    const [row] = await this.db.query(
      `SELECT l.id, l.company_id, l.token_hash, l.delivery_key, l.expires_at,
              i.id AS invoice_id, i.number, i.amount::text AS amount, i.balance::text AS balance, to_char(i.due_date, 'YYYY-MM-DD') AS due_date,
              i.created_by, i.disputed_at, to_char(i.promised_on, 'YYYY-MM-DD') AS promised_on,
              (SELECT count(*)::int FROM invoice_promises p WHERE p.invoice_id = i.id) AS promises_made,
              cu.id AS customer_id, cu.name AS customer_name, cu.locale AS customer_locale, cu.timezone AS customer_timezone,
              co.name AS company_name, co.locale, co.timezone, co.currency
         FROM response_links l
         JOIN invoices i ON i.id = l.invoice_id AND i.company_id = l.company_id
         JOIN customers cu ON cu.id = l.customer_id AND cu.company_id = l.company_id AND cu.id = i.customer_id
         JOIN companies co ON co.id = l.company_id
        WHERE l.token_hash = $1${options.lock ? ' FOR UPDATE OF i' : ''}`,
      [hash],
    );
    // Found by its hash through the index; the bytes are compared again in constant time all the same.
    if (!row || !timingSafeEqual(Buffer.from(row.token_hash), hash)) return null;
    // A statement that waited for the lock reads the invoice's row as last committed, but its subquery counted the
    // promises as they were when it began: they are counted again, by a statement of their own, once the row is held.
    const promisesMade = options.lock ? await this.countPromises(row.invoice_id) : row.promises_made;
    return {
      linkId: row.id, companyId: row.company_id, deliveryKey: row.delivery_key, expiresAt: new Date(row.expires_at),
      invoice: {
        id: row.invoice_id, number: row.number, amount: row.amount, balance: row.balance, dueDate: row.due_date, createdBy: row.created_by,
        disputedAt: row.disputed_at ? new Date(row.disputed_at) : null, promisedOn: row.promised_on, promisesMade,
      },
      customer: { id: row.customer_id, name: row.customer_name, locale: row.customer_locale, timezone: row.customer_timezone },
      company: { name: row.company_name, locale: row.locale, timezone: row.timezone, currency: row.currency },
    };
  }

  /** How many promises to pay the invoice has had. */
  private async countPromises(invoiceId: string): Promise<number> {
    const [row] = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM invoice_promises WHERE invoice_id = $1', [invoiceId]);
    return row.n;
  }
}
