import { approvalNotices } from './approval-notices';

describe(approvalNotices.name, () => {
  const facts = { currency: 'CAD', timezone: 'America/Montreal', number: 'F-7', amount: '1250.00', customerName: 'Tremblay', companyName: 'Maple' };

  it('speaks English to en-US companies', () => {
    const n = approvalNotices({ ...facts, locale: 'en-US' });
    expect(n.decided({ outcome: 'approved', timedOut: false, comment: null }).subject).toBe('Invoice F-7 was approved');
    expect(n.requested({ documentId: 'i', step: 1, stepCount: 2, deadline: '2026-12-28T12:00:00Z' }).subject)
      .toBe('Approval requested: invoice F-7 (step 2 of 2)');
    expect(n.reminder({ deadline: '2026-12-28T12:00:00Z' }).text).toContain('CA$1,250.00');
  });

  it('speaks French to fr-CA companies, with French money and dates', () => {
    const n = approvalNotices({ ...facts, locale: 'fr-CA' });
    const rejected = n.decided({ outcome: 'rejected', timedOut: true, comment: null });
    expect(rejected.subject).toBe('La facture F-7 a été rejetée');
    expect(rejected.text).toContain('aucune décision avant l\'échéance');
    const requested = n.requested({ documentId: 'i', step: 0, stepCount: 1, deadline: '2026-12-28T12:00:00Z' });
    expect(requested.subject).toBe('Approbation demandée : facture F-7');
    expect(requested.text).toMatch(/1\s250,00\s\$/);
    expect(requested.text).toContain('28 décembre 2026');
    expect(n.task({ step: 0 }).title).toBe('Approuver la facture F-7');
  });
});
