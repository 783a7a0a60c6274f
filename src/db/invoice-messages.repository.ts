import { decodeCursor, encodeCursor } from './cursor';
import type { Page, PageRequest } from './pagination';
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

/** A data source, a transaction's manager, or the outbox's transaction. */
interface MessageDb {
  query(text: string, params?: unknown[]): Promise<unknown>;
}

/** One message of an invoice, out or in; `bodyText` is plain text only. */
export interface InvoiceMessage {
  id: string;
  direction: 'out' | 'in';
  kind: string;
  deliveryKey: string | null;
  fromAddress: string | null;
  toAddress: string | null;
  subject: string;
  bodyText: string;
  createdAt: Date;
}

/**
 * Keeps what came in on each of the company's invoices it is about (a reply to a statement is kept on every invoice it
 * listed); an id that is not the company's invoice is skipped. The caller passes text only, never the sender's HTML.
 */
export async function recordIncoming(db: MessageDb, m: {
  companyId: string; invoiceIds: string[]; kind: string; deliveryKey: string; from: string | null; to: string | null; subject: string; text: string;
}): Promise<void> {
  await db.query(
    `INSERT INTO invoice_messages (company_id, invoice_id, direction, kind, delivery_key, from_address, to_address, subject, body_text)
     SELECT $1, i.id, 'in', $3, $4, $5, $6, $7, $8 FROM invoices i WHERE i.company_id = $1 AND i.id = ANY($2::uuid[]) ORDER BY i.id`,
    [m.companyId, m.invoiceIds, m.kind, m.deliveryKey, m.from, m.to, m.subject, m.text]);
}

/**
 * A page of an invoice's messages, oldest first. The cursor keeps `created_at` as Postgres prints it (microseconds:
 * a message's rows are written by one statement, apart by less than a JavaScript Date can tell).
 */
export async function findInvoiceMessagesPage(db: MessageDb, companyId: string, invoiceId: string, page: PageRequest): Promise<Page<InvoiceMessage>> {
  const params: unknown[] = [companyId, invoiceId];
  let after = '';
  if (page.cursor) {
    const { key, id } = decodeCursor(page.cursor);
    params.push(key, id);
    after = 'AND (created_at, id) > ($3::timestamptz, $4::uuid)';
  }
  const limit = page.limit ?? 50;
  params.push(limit + 1);
  const rows = await db.query(
    `SELECT id, direction, kind, delivery_key, from_address, to_address, subject, body_text, created_at, created_at::text AS cursor_at
       FROM invoice_messages WHERE company_id = $1 AND invoice_id = $2 ${after}
      ORDER BY created_at, id LIMIT $${params.length}`, params) as Array<Record<string, unknown>>;
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  return {
    data: data.map((r) => ({
      id: r.id as string, direction: r.direction as 'out' | 'in', kind: r.kind as string, deliveryKey: r.delivery_key as string | null,
      fromAddress: r.from_address as string | null, toAddress: r.to_address as string | null, subject: r.subject as string,
      bodyText: r.body_text as string, createdAt: r.created_at as Date,
    })),
    nextCursor: rows.length > limit && last ? encodeCursor(last.cursor_at as string, last.id as string) : null,
  };
}
