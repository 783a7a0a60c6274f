import { renderInvoiceEmail } from './invoice-email';

const base = {
  locale: 'en-US', currency: 'USD', companyName: 'Acme', customerName: 'Globex', number: 'INV-7',
  amount: '1234567.89', balance: '0.10', dueDate: '2026-12-31', memo: '',
};

describe(renderInvoiceEmail.name, () => {
  it('formats money from the decimal string exactly and the due day without a time-zone shift', () => {
    const mail = renderInvoiceEmail(base);
    expect(mail.subject).toBe('Invoice INV-7 from Acme');
    expect(mail.text).toContain('$1,234,567.89');
    expect(mail.text).toContain('$0.10');
    expect(mail.text).toContain('December 31, 2026');
  });

  it('writes French for fr-CA', () => {
    const mail = renderInvoiceEmail({ ...base, locale: 'fr-CA', currency: 'CAD' });
    expect(mail.subject).toBe('Facture INV-7 de Acme');
    expect(mail.text).toMatch(/1\s234\s567,89\s\$/);
    expect(mail.text).toContain('31 décembre 2026');
  });

  it('escapes values in the HTML body', () => {
    const mail = renderInvoiceEmail({ ...base, customerName: '<script>x</script>', memo: 'A & B' });
    expect(mail.html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(mail.html).toContain('A &amp; B');
    expect(mail.html).not.toContain('<script>');
  });
});
