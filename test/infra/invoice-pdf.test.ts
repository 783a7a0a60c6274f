import { invoicePdfFilename, type InvoiceDocument, renderInvoicePdf } from '../../src/infra/invoice-pdf';
import { pdfText } from '../support/pdf';

const fr: InvoiceDocument = {
  company: { name: 'Boulangerie Saint-Roch', locale: 'fr-CA', currency: 'CAD', timezone: 'America/Toronto' },
  customer: { name: 'Café Élan', email: 'compta@elan.test' },
  invoice: {
    number: 'F-2026/07', amount: '1250.00', balance: '800.00', issueDate: '2026-11-02', dueDate: '2026-12-02', memo: 'Merci', stamp: 'EN RETARD',
    locationName: 'Québec',
  },
};

describe(renderInvoicePdf.name, () => {
  it('makes a PDF, the same bytes for the same invoice, other bytes for another balance', async () => {
    const pdf = await renderInvoicePdf(fr);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toContain('%%EOF');
    expect((await renderInvoicePdf(fr)).equals(pdf)).toBe(true);
    expect((await renderInvoicePdf({ ...fr, invoice: { ...fr.invoice, balance: '0.00' } })).equals(pdf)).toBe(false);
  });

  it('names the file after the invoice number, safe for a header', () => {
    expect(invoicePdfFilename(fr.invoice.number)).toBe('invoice-F-2026_07.pdf');
    expect(invoicePdfFilename('A "B"\r\n')).toBe('invoice-A_B_.pdf');
  });
});

/** The invoice PDF as a PDF parser reads it back (pdf-parse): every part it shows, in the company's locale. */
describe('the invoice PDF, read back by a PDF parser', () => {
  it('says everything in fr-CA: labels, dates, money, the stamp, the memo, accented names', async () => {
    const text = pdfText(await renderInvoicePdf(fr));
    for (const part of ['Boulangerie Saint-Roch', 'Facture F-2026/07', 'EN RETARD', 'Facturé à', 'Café Élan', 'compta@elan.test',
      "Date d'émission: 2 novembre 2026", "Date d'échéance: 2 décembre 2026", 'Emplacement: Québec', 'Note', 'Merci']) {
      expect(text).toContain(part);
    }
    expect(text).toMatch(/Total 1\s250,00\s\$/u);
    expect(text).toMatch(/Payé 450,00\s\$/u);
    expect(text).toMatch(/Solde dû 800,00\s\$/u);
  });

  it('says everything in en-US, with no stamp line when the invoice has none', async () => {
    const text = pdfText(await renderInvoicePdf({
      ...fr, company: { ...fr.company, locale: 'en-US', currency: 'USD' }, invoice: { ...fr.invoice, stamp: null, memo: '' },
    }));
    for (const part of ['Invoice F-2026/07', 'Bill to', 'Issue date: November 2, 2026', 'Due date: December 2, 2026', 'Total $1,250.00',
      'Paid $450.00', 'Balance due $800.00']) {
      expect(text).toContain(part);
    }
    expect(text).not.toContain('EN RETARD');
    expect(text).not.toContain('Memo');
  });
});
