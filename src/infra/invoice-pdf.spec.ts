import { invoicePdfFilename, type InvoiceDocument, renderInvoicePdf } from './invoice-pdf';

const document: InvoiceDocument = {
  company: { name: 'Boulangerie Saint-Roch', locale: 'fr-CA', currency: 'CAD', timezone: 'America/Toronto' },
  customer: { name: 'Café Élan', email: 'compta@elan.test' },
  invoice: {
    number: 'F-2026/07', amount: '1250.00', balance: '800.00', issueDate: '2026-11-02', dueDate: '2026-12-02', memo: 'Merci', stamp: 'EN RETARD',
    locationName: 'Québec',
  },
};

describe(renderInvoicePdf.name, () => {
  it('makes a PDF, the same bytes for the same invoice, other bytes for another balance', async () => {
    const pdf = await renderInvoicePdf(document);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toContain('%%EOF');
    expect((await renderInvoicePdf(document)).equals(pdf)).toBe(true);
    expect((await renderInvoicePdf({ ...document, invoice: { ...document.invoice, balance: '0.00' } })).equals(pdf)).toBe(false);
  });

  it('names the file after the invoice number, safe for a header', () => {
    expect(invoicePdfFilename(document.invoice.number)).toBe('invoice-F-2026_07.pdf');
    expect(invoicePdfFilename('A "B"\r\n')).toBe('invoice-A_B_.pdf');
  });
});
