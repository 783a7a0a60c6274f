import { createHash, timingSafeEqual } from 'node:crypto';
import type { MatchedReplyAddress } from '../domain/inbound/inbound-event';
import type { Sql } from './sql';

export function hashReplyToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** What a reply address is minted for: one delivery, to one recipient, about one or several invoices. */
export interface ReplyAddressFor {
  companyId: string;
  deliveryKey: string;
  recipient: string;
  customerId: string | null;
  invoiceIds: string[];
}

/** Reply addresses (VERP): each customer email's own, stored as the SHA-256 of its token and mapped to its delivery. */
export class ReplyAddressesRepository {
  constructor(private readonly db: Sql) {}

  /**
   * Records `token` as the reply address of the delivery. A retry of the delivery derives the same token, which its
   * first attempt recorded already: the first row stays.
   */
  async record(token: string, address: ReplyAddressFor): Promise<void> {
    await this.db.query(
      `INSERT INTO reply_addresses (company_id, token_hash, delivery_key, recipient, customer_id, invoice_ids)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [address.companyId, hashReplyToken(token), address.deliveryKey, address.recipient, address.customerId, address.invoiceIds],
    );
  }

  /** The delivery of the first of `tokens` that is a reply address, in their order; null when none is. */
  async findFirst(tokens: readonly string[]): Promise<MatchedReplyAddress | null> {
    if (tokens.length === 0) return null;
    const hashes = tokens.map(hashReplyToken);
    const rows: { token_hash: Buffer; company_id: string; delivery_key: string; recipient: string; customer_id: string | null; invoice_ids: string[] }[] =
      await this.db.query(
        `SELECT token_hash, company_id, delivery_key, recipient, customer_id, invoice_ids FROM reply_addresses WHERE token_hash = ANY($1::bytea[])`,
        [hashes],
      );
    for (const hash of hashes) {
      // The lookup goes by hash; the bytes found are compared again in constant time all the same.
      const row = rows.find((r) => timingSafeEqual(Buffer.from(r.token_hash), hash));
      if (row) {
        return {
          companyId: row.company_id, deliveryKey: row.delivery_key, recipient: row.recipient, customerId: row.customer_id, invoiceIds: row.invoice_ids,
        };
      }
    }
    return null;
  }
}
