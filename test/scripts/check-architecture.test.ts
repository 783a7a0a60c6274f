// eslint-disable-next-line @typescript-eslint/no-require-imports
const { violations } = require('../../scripts/check-architecture') as {
  violations(graph: Record<string, string[]>, cycles: string[][]): string[];
};

describe('check-architecture', () => {
  it('accepts imports along the arrows', () => {
    expect(violations({
      'api/invoices/invoices.service.ts': ['contracts/index.ts', 'db/sql.ts', 'infra/mailer.ts', 'api/common/pagination.ts'],
      'workflows/invoice-approval.workflow.ts': ['contracts/index.ts'],
      'worker/main.ts': ['activities/index.ts', 'config.ts'],
    }, [])).toEqual([]);
  });

  it('names each import across a forbidden arrow', () => {
    expect(violations({
      'api/approvals/approvals.service.ts': ['workflows/invoice-approval.workflow.ts', 'activities/mailer.ts'],
      'worker/main.ts': ['api/reminders/payment-events.ts'],
      'workflows/reminder-sweep.workflow.ts': ['activities/sweep.activities.ts'],
      'domain/templates.ts': ['db/sql.ts'],
    }, [])).toEqual([
      'api/approvals/approvals.service.ts imports workflows/invoice-approval.workflow.ts: src/api may not import src/workflows',
      'api/approvals/approvals.service.ts imports activities/mailer.ts: src/api may not import src/activities',
      'worker/main.ts imports api/reminders/payment-events.ts: src/worker may not import src/api',
      'workflows/reminder-sweep.workflow.ts imports activities/sweep.activities.ts: src/workflows may not import src/activities',
      'domain/templates.ts imports db/sql.ts: src/domain may not import src/db',
    ]);
  });

  it('reports cycles and unknown parts', () => {
    expect(violations({ 'misc/x.ts': [] }, [['domain/a.ts', 'domain/b.ts']])).toEqual([
      'misc/x.ts: src/misc is not a known part of the architecture (add it to scripts/check-architecture.js)',
      'import cycle: domain/a.ts → domain/b.ts → domain/a.ts',
    ]);
  });
});
