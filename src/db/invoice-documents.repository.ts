import type { DataSource } from 'typeorm';

/** What an invoice's PDF shows, read in one statement: the invoice, its customer, location and company. */
export interface InvoiceDocumentRow {
  company: { name: string; locale: string; currency: string; timezone: string };
  customer: { name: string; email: string | null };
  invoice: {
    number: string; amount: string; balance: string; issueDate: string; dueDate: string; memo: string; stamp: string | null;
    locationName: string | null;
  };
}

export class InvoiceDocumentsRepository {
  constructor(private readonly dataSource: Pick<DataSource, 'query'>) {}

  /** The company's invoice as its document shows it, or null (another company's id answers like an unknown one). */
  async find(companyId: string, invoiceId: string): Promise<InvoiceDocumentRow | null> {
    const [r] = await this.dataSource.query(
      `SELECT i.number, i.amount::text AS amount, i.balance::text AS balance, i.issue_date::text AS issue_date, i.due_date::text AS due_date,
              i.memo, i.stamp, l.name AS location_name, cu.name AS customer_name, cu.email AS customer_email,
              co.name AS company_name, co.locale, co.currency, co.timezone
         FROM invoices i JOIN customers cu ON cu.id = i.customer_id JOIN companies co ON co.id = i.company_id
         LEFT JOIN locations l ON l.id = i.location_id
        WHERE i.company_id = $1 AND i.id = $2`,
      [companyId, invoiceId],
    );
    if (!r) return null;
    return {
      company: { name: r.company_name, locale: r.locale, currency: String(r.currency).trim(), timezone: r.timezone },
      customer: { name: r.customer_name, email: r.customer_email },
      invoice: {
        number: r.number, amount: r.amount, balance: r.balance, issueDate: r.issue_date, dueDate: r.due_date, memo: r.memo, stamp: r.stamp,
        locationName: r.location_name,
      },
    };
  }
}
