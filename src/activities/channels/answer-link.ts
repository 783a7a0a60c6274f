import type { DataSource } from 'typeorm';
import { ResponseLinksRepository } from '../../db/response-links.repository';
import type { Sql } from '../../db/sql';
import { answerLinksFooter } from '../../domain/answers';

/** What this decoration reads of the email it decorates (its shape is the decorations' context; declared here, not imported, so the list that registers it has no cycle). */
export interface AnswerLinkEmail {
  tx?: Sql;
  companyId: string;
  customerId: string;
  deliveryKey: string;
  invoiceIds: string[];
  locale: string;
  kind: 'reminder' | 'invoice' | 'statement';
}

/**
 * Every reminder carries, for each invoice it is about, a link to the page where the customer answers (already paid,
 * a dispute, a day they will pay): a statement one per invoice it lists, so that each answer is about one invoice and
 * stops only its reminders. Minted with the email, bound to its delivery; the invoice itself and receipts carry none,
 * nor does an invoice with nothing left to pay.
 */
export const answerLinkDecoration = (deps: { dataSource: DataSource; publicUrl: string }) =>
  async (email: AnswerLinkEmail): Promise<{ footerText?: string; footerHtml?: string }> => {
    if (email.kind === 'invoice') return {};
    const links = await new ResponseLinksRepository(email.tx ?? deps.dataSource).mintForDelivery({
      companyId: email.companyId, deliveryKey: email.deliveryKey, customerId: email.customerId, invoiceIds: email.invoiceIds, now: new Date(),
    });
    const footer = answerLinksFooter(links.map((l) => ({ invoiceNumber: l.invoiceNumber, url: `${deps.publicUrl}/r/${l.token}` })), email.locale);
    return footer.text ? { footerText: footer.text, footerHtml: footer.html } : {};
  };
