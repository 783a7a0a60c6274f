import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** A token of 256 random bits, written in the link; only its SHA-256 is stored. */
export function generateUnsubscribeToken(): { token: string; hash: Buffer } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashUnsubscribeToken(token) };
}

export function hashUnsubscribeToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

/** The customer an unsubscribe link names, once it has been used. */
export interface Unsubscribed {
  customerId: string;
  customerName: string;
  companyName: string;
  locale: string;
}

/** Unsubscribe tokens: one minted per reminder email, bound to its customer. */
export class UnsubscribeTokensRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A new token for the customer; answers the token itself (shown once, in the email). */
  async mint(companyId: string, customerId: string): Promise<string> {
    const { token, hash } = generateUnsubscribeToken();
    await this.dataSource.query('INSERT INTO unsubscribe_tokens (company_id, customer_id, token_hash) VALUES ($1, $2, $3)', [companyId, customerId, hash]);
    return token;
  }

  /** The customer the token names, or null for an unknown token (malformed ones never reach the database). */
  async find(token: string): Promise<Unsubscribed | null> {
    if (!TOKEN_RE.test(token)) return null;
    const hash = hashUnsubscribeToken(token);
    const [row] = await this.dataSource.query(
      `SELECT t.token_hash, t.customer_id, cu.name AS customer_name, co.name AS company_name, co.locale
         FROM unsubscribe_tokens t JOIN customers cu ON cu.id = t.customer_id JOIN companies co ON co.id = t.company_id
        WHERE t.token_hash = $1`,
      [hash],
    );
    // The lookup goes by hash; the bytes found are compared again in constant time all the same.
    if (!row || !timingSafeEqual(Buffer.from(row.token_hash), hash)) return null;
    return { customerId: row.customer_id, customerName: row.customer_name, companyName: row.company_name, locale: row.locale };
  }

  /** Turns the customer's reminders off and marks the token used (idempotent: a second use changes nothing more). */
  async unsubscribe(token: string): Promise<Unsubscribed | null> {
    const found = await this.find(token);
    if (!found) return null;
    const hash = hashUnsubscribeToken(token);
    await this.dataSource.transaction(async (m) => {
      await m.query('UPDATE customers SET reminders_enabled = false, updated_at = now() WHERE id = $1 AND reminders_enabled', [found.customerId]);
      await m.query('UPDATE unsubscribe_tokens SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL', [hash]);
    });
    return found;
  }
}
