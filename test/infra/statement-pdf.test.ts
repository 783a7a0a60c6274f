import { renderStatementPdf } from '../../src/infra/statement-pdf';
import type { Statement } from '../../src/domain/statements';
import { pdfText } from '../support/pdf';

const line = (number: string, dueDate: string, amount: string, balance: string) => ({ invoiceId: `id-${number}`, number, issueDate: '2026-10-15', dueDate, amount, balance });

const fr: Statement = {
  company: { name: 'Boulangerie Saint-Roch', locale: 'fr-CA', currency: 'CAD', timezone: 'America/Toronto' },
  customer: { name: 'Café Élan', email: 'compta@elan.test' },
  asOf: '2026-12-10',
  lines: [line('F-9', '2026-12-05', '500.00', '450.10'), line('F-10', '2026-12-01', '1250.00', '800.00')],
};

describe(renderStatementPdf.name, () => {
  it('makes a PDF, the same bytes for the same statement, other bytes for another balance', async () => {
    const pdf = await renderStatementPdf(fr);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect((await renderStatementPdf(fr)).equals(pdf)).toBe(true);
    expect((await renderStatementPdf({ ...fr, lines: [fr.lines[0]] })).equals(pdf)).toBe(false);
  });

  it('lists every invoice, oldest due first, and the total balance, in fr-CA', async () => {
    const text = pdfText(await renderStatementPdf(fr));
    for (const part of ['Boulangerie Saint-Roch', 'Relevé de compte', 'Café Élan', 'compta@elan.test', 'Date du relevé: 10 décembre 2026', 'F-10', 'F-9']) {
      expect(text).toContain(part);
    }
    expect(text.indexOf('F-10')).toBeLessThan(text.indexOf('F-9'));
    expect(text).toMatch(/800,00\s\$/u);
    expect(text).toMatch(/450,10\s\$/u);
    expect(text).toMatch(/Solde total dû 1\s250,10\s\$/u);
  });

  it('lists fifty invoices over as many pages as it takes, in en-US', async () => {
    const lines = Array.from({ length: 50 }, (_, i) => line(`INV-${1000 + i}`, '2026-11-01', '10.00', '10.00'));
    const text = pdfText(await renderStatementPdf({ ...fr, company: { ...fr.company, locale: 'en-US', currency: 'USD' }, lines }));
    for (const l of lines) expect(text).toContain(l.number);
    for (const part of ['Statement', 'Statement date: December 10, 2026', 'Total balance due $500.00']) expect(text).toContain(part);
  });
});
