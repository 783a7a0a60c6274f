import { formatDate, formatMoney } from '../domain/messages';
import { type Statement, statementLines, statementTotal } from '../domain/statements';
import { catalogueLocale } from '../domain/templates';
import { createPdfDocument } from './pdf-document';

const LABELS = {
  'en-US': {
    title: 'Statement', to: 'Statement for', date: 'Statement date', invoice: 'Invoice', issued: 'Issued', due: 'Due', amount: 'Amount',
    balance: 'Balance', total: 'Total balance due',
  },
  'fr-CA': {
    title: 'Relevé de compte', to: 'Relevé pour', date: 'Date du relevé', invoice: 'Facture', issued: 'Émise le', due: 'Échéance', amount: 'Montant',
    balance: 'Solde', total: 'Solde total dû',
  },
} as const;

/**
 * A customer's statement as a PDF (pdfkit), with the invoice PDF's look, in the company's locale: company, customer, the
 * statement's date, one row per invoice listed (number, issue and due dates, amount, balance; oldest due first, over as
 * many pages as it takes) and the total balance due. The same statement gives the same bytes.
 */
export function renderStatementPdf(s: Statement): Promise<Buffer> {
  const { locale, currency, timezone } = s.company;
  const t = LABELS[catalogueLocale(locale)];
  const money = (v: string) => formatMoney(v, locale, currency);
  const day = (v: string, style: 'medium' | 'long' = 'medium') => formatDate(v, locale, timezone, style);

  const doc = createPdfDocument({
    size: 'LETTER', margin: 56,
    // A fixed creation date: the same statement gives the same file.
    info: { Title: `${t.title} ${s.customer.name}`, Author: s.company.name, Subject: t.title, CreationDate: new Date(`${s.asOf}T00:00:00Z`) },
    lang: catalogueLocale(locale),
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.font('Helvetica-Bold').fontSize(20).text(s.company.name);
  doc.moveDown(0.5).font('Helvetica').fontSize(14).text(t.title);
  doc.moveDown().font('Helvetica-Bold').fontSize(11).text(t.to);
  doc.font('Helvetica').text(s.customer.name);
  if (s.customer.email) doc.text(s.customer.email);
  doc.moveDown();
  doc.text(`${t.date}: ${day(s.asOf, 'long')}`);

  doc.moveDown();
  const left = doc.page.margins.left;
  const right = doc.page.width - doc.page.margins.right;
  // Invoice, issued, due, amount, balance: widths summing to the page's 500 points between margins.
  const columns = [{ x: 0, w: 150 }, { x: 150, w: 85 }, { x: 235, w: 85 }, { x: 320, w: 90, right: true }, { x: 410, w: 90, right: true }];
  const rule = () => doc.moveTo(left, doc.y).lineTo(right, doc.y).stroke().moveDown(0.3);
  const row = (cells: string[], bold = false) => {
    if (doc.y > doc.page.height - doc.page.margins.bottom - 40) doc.addPage();
    const y = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica');
    cells.forEach((cell, i) => {
      const c = columns[i];
      doc.text(cell, left + c.x, y, { width: c.w, align: c.right ? 'right' : 'left', lineBreak: false, ellipsis: true });
    });
    doc.x = left;
    doc.y = y + doc.currentLineHeight(true);
    doc.moveDown(0.3);
  };
  row([t.invoice, t.issued, t.due, t.amount, t.balance], true);
  rule();
  for (const l of statementLines(s.lines)) row([l.number, day(l.issueDate), day(l.dueDate), money(l.amount), money(l.balance)]);
  rule();
  const y = doc.y;
  doc.font('Helvetica-Bold').text(t.total, left, y, { width: 300 });
  doc.text(money(statementTotal(s.lines)), right - 200, y, { width: 200, align: 'right' });
  doc.end();
  return done;
}
