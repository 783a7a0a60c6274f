import type { Sql } from './sql';

/** A customer email that went out, as the invoice's messages list it. */
export interface OutgoingMessage {
  companyId: string;
  invoiceIds: string[];
  kind: 'reminder' | 'invoice' | 'statement';
  subject: string;
  bodyText: string;
  toAddress: string;
  deliveryKey: string;
}

/**
 * The email, one row per invoice it concerns, in the transaction of its `sent` mark: a message is listed exactly when
 * it went out.
 */
export async function recordOutgoing(tx: Sql, m: OutgoingMessage): Promise<void> {
  await tx.query(
    `INSERT INTO invoice_messages (company_id, invoice_id, direction, kind, delivery_key, to_address, subject, body_text)
     SELECT $1, i, 'out', $3, $4, $5, $6, $7 FROM unnest($2::uuid[]) AS i`,
    [m.companyId, m.invoiceIds, m.kind, m.deliveryKey, m.toAddress, m.subject, m.bodyText],
  );
}
