import { checkMessageTemplate, renderMessage } from './messages';
import {
  groupByCustomer, STATEMENT_DEFAULT_STEPS, statementStep, STATEMENT_VARIABLE_NAMES, STATEMENT_VARIABLES, statementLines, statementTotal, statementVariables, type Statement,
} from './statements';

const line = (number: string, dueDate: string, balance: string) => ({ invoiceId: `id-${number}`, number, issueDate: '2026-11-01', dueDate, amount: balance, balance });

const statement = (over: Partial<Statement> = {}): Statement => ({
  company: { name: 'Maple Supplies', locale: 'en-US', currency: 'USD', timezone: 'UTC' },
  customer: { name: 'Tremblay Construction', email: 'billing@tremblay.example' },
  asOf: '2026-12-10',
  lines: [line('INV-9', '2026-12-05', '450.10'), line('INV-10', '2026-12-01', '800.00'), line('INV-2', '2026-12-05', '0.05')],
  ...over,
});

describe(statementVariables.name, () => {
  it('lists every invoice, oldest due first, with the exact total and the days past the oldest', () => {
    const vars = statementVariables(statement());
    expect(vars).toMatchObject({
      customerName: 'Tremblay Construction', customerEmail: 'billing@tremblay.example', invoiceCount: 3, totalBalance: '1250.15',
      oldestDueDate: '2026-12-01', daysOverdue: 9, companyName: 'Maple Supplies', currency: 'USD',
    });
    expect(String(vars.invoiceList).split('\n')).toEqual([
      'INV-10 · Dec 1, 2026 · $800.00',
      'INV-2 · Dec 5, 2026 · $0.05',
      'INV-9 · Dec 5, 2026 · $450.10',
    ]);
  });

  it('formats the list in the company locale, and counts no days overdue before the oldest is due', () => {
    const vars = statementVariables(statement({ company: { name: 'Érable', locale: 'fr-CA', currency: 'CAD', timezone: 'America/Toronto' }, asOf: '2026-11-20' }));
    expect(String(vars.invoiceList).split('\n')[0].replace(/[\u00a0\u202f]/g, ' ')).toBe('INV-10 · 1 déc. 2026 · 800,00 $');
    expect(vars.daysOverdue).toBe(0);
  });

  it('offers exactly the variables it gives', () => {
    expect(Object.keys(statementVariables(statement())).sort()).toEqual([...STATEMENT_VARIABLE_NAMES].sort());
    expect(STATEMENT_VARIABLES.map((v) => v.name)).toEqual(STATEMENT_VARIABLE_NAMES);
  });

  it('renders the default steps in both locales, the HTML escaping what customers and invoices named', () => {
    const vars = statementVariables(statement({ customer: { name: 'A <b>& Co', email: null }, lines: [line('<i>1', '2026-12-01', '5.00')] }));
    for (const steps of Object.values(STATEMENT_DEFAULT_STEPS)) {
      for (const step of steps) {
        checkMessageTemplate(step.subject, STATEMENT_VARIABLE_NAMES);
        checkMessageTemplate(step.body, STATEMENT_VARIABLE_NAMES);
        const html = renderMessage(step, vars, { locale: 'en-US', currency: 'USD', html: true });
        expect(html.body).toContain('&lt;i&gt;1');
        expect(html.body).not.toContain('<b>');
      }
    }
  });
});

describe(statementLines.name, () => {
  it('orders by due date then number, and the total is exact decimal money', () => {
    expect(statementLines(statement().lines).map((l) => l.number)).toEqual(['INV-10', 'INV-2', 'INV-9']);
    expect(statementTotal([line('a', '2026-01-01', '0.10'), line('b', '2026-01-01', '0.20')])).toBe('0.30');
    expect(statementTotal([])).toBe('0.00');
  });
});

describe(groupByCustomer.name, () => {
  it('groups records per customer in the order customers first appear, leaving out records without one', () => {
    const records = [{ id: 1, c: 'b' }, { id: 2, c: 'a' }, { id: 3, c: 'b' }, { id: 4, c: null }];
    expect(groupByCustomer(records, (r) => r.c)).toEqual([
      { customerId: 'b', records: [{ id: 1, c: 'b' }, { id: 3, c: 'b' }] },
      { customerId: 'a', records: [{ id: 2, c: 'a' }] },
    ]);
  });
});

describe(statementStep.name, () => {
  it("takes the furthest step due among the statement's invoices", () => {
    expect(statementStep([0, 2, 1])).toBe(2);
    expect(statementStep([0])).toBe(0);
    expect(() => statementStep([])).toThrow('at least one invoice');
  });
});
