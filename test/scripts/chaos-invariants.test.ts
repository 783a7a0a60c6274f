/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
const inv = require('../../scripts/lib/chaos/invariants') as Record<string, (...args: any[]) => any>;

const email = (count: number, ...ids: string[]) => ({ count, messageIds: new Set(ids) });

describe('the chaos soak\'s invariants', () => {
  const op = (o: Record<string, unknown> = {}) => ({ number: 'CH-1', intended: 'approved', answered: 'approved', invoiceId: 'i1', steps: {}, ...o });
  const row = (o: Record<string, unknown> = {}) => ({ invoices: 1, submissions: 1, decisions: ['approved'], status: 'approved', ...o });

  it('an approval decided once, as answered, holds; twice, another decision or another status is named', () => {
    expect(inv.checkApprovals([op()], new Map([['CH-1', row()]]))).toEqual([]);
    expect(inv.checkApprovals([op()], new Map([['CH-1', row({ invoices: 2 })]]))).toEqual([expect.stringMatching(/2 invoices were created/)]);
    expect(inv.checkApprovals([op()], new Map([['CH-1', row({ submissions: 2 })]]))).toEqual([expect.stringMatching(/2 submissions/)]);
    expect(inv.checkApprovals([op()], new Map([['CH-1', row({ decisions: ['approved', 'approved'] })]]))).toEqual([expect.stringMatching(/2 decisions/)]);
    expect(inv.checkApprovals([op()], new Map([['CH-1', row({ decisions: ['rejected'], status: 'rejected' })]])))
      .toEqual([expect.stringMatching(/recorded rejected/), expect.stringMatching(/answered approved, the invoice is rejected/)]);
    expect(inv.checkApprovals([op({ answered: undefined, failedAt: 'decide', steps: { decide: { status: 409 } } })], new Map([['CH-1', row()]])))
      .toEqual([expect.stringMatching(/no answer to its decide/)]);
  });

  it('a sweep\'s reminders sent once or in doubt hold; sent twice, failed or pending without doubt are named', () => {
    const sweep = (deliveries: unknown[]) => ({ n: 0, how: 'schedule', size: deliveries.length, runs: [{ status: 'completed' }], deliveries });
    const emails = new Map([['a', email(1, 'm-a')], ['b', email(2, 'm-b')]]);
    expect(inv.checkSweeps([sweep([{ key: 'a', status: 'sent' }, { key: 'c', status: 'pending', error: 'in doubt: ...' }])], emails)).toEqual([]);
    expect(inv.checkSweeps([sweep([{ key: 'b', status: 'sent' }])], emails)).toEqual([expect.stringMatching(/not received exactly once \(b: 2\)/)]);
    expect(inv.checkSweeps([sweep([{ key: 'b', status: 'pending', error: 'in doubt' }])], emails)).toEqual([expect.stringMatching(/in doubt and received more than once/)]);
    expect(inv.checkSweeps([sweep([{ key: 'x', status: 'pending', error: null }])], emails)).toEqual([expect.stringMatching(/pending and not reported in doubt/)]);
    expect(inv.checkSweeps([{ ...sweep([]), size: 3, runs: [{ status: 'running' }] }], emails))
      .toEqual([expect.stringMatching(/a run is running/), expect.stringMatching(/0 deliveries for 3 invoices/)]);
  });

  it('an email twice is a violation, unless a team notice again with its one Message-ID', () => {
    const r = inv.checkEmails(new Map([
      ['approval:1:requested:email:u1', email(2, 'm1')], ['reminder:1', email(2, 'm2')], ['approval:2:decided:email:u1', email(2, 'm3', 'm4')], ['', email(9, '')],
    ]));
    expect(r.allowedRepeats).toBe(1);
    expect(r.violations).toEqual([expect.stringMatching(/^email reminder:1 received 2 times/), expect.stringMatching(/^email approval:2:decided/)]);
  });

  it('a webhook event never received, not delivered, or missing for a decided approval is named; a repeat of one id is not', () => {
    const events = [
      { id: 'e1', type: 'invoice.approval.requested', invoiceId: 'i1', deliveries: ['delivered'] },
      { id: 'e2', type: 'invoice.approval.decided', invoiceId: 'i1', deliveries: ['delivered'] },
    ];
    expect(inv.checkWebhooks(events, new Map([['e1', 2], ['e2', 1]]), ['i1'])).toEqual({ violations: [], repeats: 1 });
    expect(inv.checkWebhooks(events, new Map([['e1', 1]]), ['i1']).violations).toEqual([expect.stringMatching(/1 webhook events never received/)]);
    expect(inv.checkWebhooks([events[0]], new Map([['e1', 1]]), ['i1']).violations).toEqual(['invoice i1: no invoice.approval.decided event recorded']);
    expect(inv.checkWebhooks([events[1]], new Map([['e2', 1]]), ['i1']).violations).toEqual([]);
  });

  it('every workflow completed but the probes\' round trips, which may give up', () => {
    expect(inv.checkWorkflows(
      [{ type: 'documentApproval', workflowId: 'a' }],
      [{ type: 'diagnosticRoundtrip', workflowId: 'd', status: 'FAILED' }, { type: 'reminderSweep', workflowId: 's', status: 'TIMED_OUT' }],
      [{ temporal_workflow_id: 'r', status: 'failed' }],
    )).toEqual(['workflow documentApproval a still running', 'workflow reminderSweep s ended TIMED_OUT', 'workflow run row r is failed']);
  });
});
