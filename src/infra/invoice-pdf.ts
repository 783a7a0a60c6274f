import { formatDate, formatMoney } from '../domain/messages';
import { subtractMoney } from '../domain/money';
import { catalogueLocale } from '../domain/templates';
import { createPdfDocument } from './pdf-document';

/** What an invoice's PDF shows; money stays a decimal string until it is formatted. */
export interface InvoiceDocument {
  company: { name: string; locale: string; currency: string; timezone: string };
  customer: { name: string; email: string | null };
  invoice: {
    number: string; amount: string; balance: string; issueDate: string; dueDate: string; memo: string; stamp: string | null;
    locationName: string | null;
  };
}

const LABELS = {
  'en-US': {
    title: 'Invoice', billTo: 'Bill to', issued: 'Issue date', due: 'Due date', description: 'Description', amount: 'Amount',
    line: (n: string) => `Invoice ${n}`, total: 'Total', paid: 'Paid', balance: 'Balance due', location: 'Location', memo: 'Memo',
  },
  'fr-CA': {
    title: 'Facture', billTo: 'Facturé à', issued: "Date d'émission", due: "Date d'échéance", description: 'Description', amount: 'Montant',
    line: (n: string) => `Facture ${n}`, total: 'Total', paid: 'Payé', balance: 'Solde dû', location: 'Emplacement', memo: 'Note',
  },
} as const;

/** The file name attachments and downloads give the invoice. */
export function invoicePdfFilename(number: string): string {
  return `invoice-${number.replace(/[^A-Za-z0-9._-]+/g, '_')}.pdf`;
}

/**
 * The invoice as a PDF (pdfkit), in the company's locale: company, customer, the invoice's amount, what was paid, the
 * balance, dates, memo and stamp. The same bytes for the download, the send and the reminders that attach it.
 */
export function renderInvoicePdf(d: InvoiceDocument): Promise<Buffer> {
  const { locale, currency, timezone } = d.company;
  const t = LABELS[catalogueLocale(locale)];
  const money = (v: string) => formatMoney(v, locale, currency);
  const day = (v: string) => formatDate(v, locale, timezone, 'long');
  const paid = subtractMoney(d.invoice.amount, d.invoice.balance);

  const doc = createPdfDocument({
    size: 'LETTER', margin: 56,
    // A fixed creation date: the same invoice gives the same file.
    info: { Title: `${t.title} ${d.invoice.number}`, Author: d.company.name, Subject: `${t.title} ${d.invoice.number}`, CreationDate: new Date(`${d.invoice.issueDate}T00:00:00Z`) },
    lang: catalogueLocale(locale),
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.font('Helvetica-Bold').fontSize(20).text(d.company.name);
  doc.moveDown(0.5).font('Helvetica').fontSize(14).text(`${t.title} ${d.invoice.number}`);
  if (d.invoice.stamp) doc.moveDown(0.3).font('Helvetica-Bold').fontSize(16).fillColor('#b00020').text(d.invoice.stamp).fillColor('black');
  doc.moveDown().font('Helvetica-Bold').fontSize(11).text(t.billTo);
  doc.font('Helvetica').text(d.customer.name);
  if (d.customer.email) doc.text(d.customer.email);
  doc.moveDown();
  doc.text(`${t.issued}: ${day(d.invoice.issueDate)}`);
  doc.text(`${t.due}: ${day(d.invoice.dueDate)}`);
  if (d.invoice.locationName) doc.text(`${t.location}: ${d.invoice.locationName}`);

  doc.moveDown();
  const left = doc.page.margins.left;
  const right = doc.page.width - doc.page.margins.right;
  const row = (label: string, value: string, bold = false) => {
    const y = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').text(label, left, y, { width: 300 });
    doc.text(value, right - 200, y, { width: 200, align: 'right' });
    doc.moveDown(0.3);
  };
  row(t.description, t.amount, true);
  doc.moveTo(left, doc.y).lineTo(right, doc.y).stroke().moveDown(0.3);
  row(t.line(d.invoice.number), money(d.invoice.amount));
  doc.moveTo(left, doc.y).lineTo(right, doc.y).stroke().moveDown(0.3);
  row(t.total, money(d.invoice.amount));
  row(t.paid, money(paid));
  row(t.balance, money(d.invoice.balance), true);
  if (d.invoice.memo) {
    doc.moveDown().font('Helvetica-Bold').text(`${t.memo}`, left).font('Helvetica').text(d.invoice.memo, { width: right - left });
  }
  doc.end();
  return done;
}

