import type { ReminderSweepResult } from '../../src/contracts';
import { sql } from './db';
import { createTenant, type Tenant } from './fixtures';
import type { Http } from './http';
import { LedgerSeed } from './ledger-seed';

/**
 * A new company with `count` invoices due tomorrow, each of a customer of its own (named `<label> <n>`), and an active
 * `payment-due-reminder` that matches them all: a sweep of `count` reminders, for the suites that fault one.
 */
export async function dueRemindersCompany(http: Http, count: number, label: string): Promise<{ tenant: Tenant; definitionId: string }> {
  const tenant = await createTenant(http);
  const seed = await new LedgerSeed(tenant.companyId, tenant.adminId).connect();
  try {
    await seed.invoicesOfOwnCustomers(count, label, 1);
    const definitionId = await seed.definition('payment-due-reminder', {
      conditions: [{ field: 'dueDate', op: 'within_days', value: 3 }],
      actions: [{ type: 'email', to: 'customer', subject: 'Invoice {{invoiceNumber}} is due', body: 'Hello {{customerName}}' }],
    });
    return { tenant, definitionId };
  } finally {
    await seed.end();
  }
}

/** `POST /v1/workflows/:id/run-now`, answering the sweep's workflow id. */
export async function runNow(tenant: Tenant, definitionId: string): Promise<string> {
  const res = await tenant.admin.post(`/v1/workflows/${definitionId}/run-now`);
  expect(res.status).toBe(202);
  return res.body.temporalWorkflowId;
}

/**
 * What a sweep through a fault must leave: each of its `expected` reminders either sent once (counted by delivery key
 * at the SMTP listener) or reported in doubt and sent at most once; none recorded failed; the run completed.
 * Answers how many are in doubt.
 */
export async function expectEachReminderOnceOrInDoubt(
  sweepWorkflowId: string, result: ReminderSweepResult, sentByKey: Map<string, number>, expected: number,
): Promise<number> {
  const deliveries = await sql<{ delivery_key: string; status: string; error: string | null }>(
    `SELECT d.delivery_key, d.status, d.error FROM deliveries d JOIN workflow_runs r ON r.id = d.run_id WHERE r.temporal_workflow_id = $1`,
    [sweepWorkflowId]);
  const inDoubt = deliveries.filter((d) => d.status === 'pending');
  expect(deliveries).toHaveLength(expected);
  expect(deliveries.filter((d) => d.status === 'failed')).toEqual([]);
  expect(inDoubt.filter((d) => !/in doubt/.test(d.error ?? ''))).toEqual([]);
  expect(deliveries.filter((d) => d.status === 'sent' && sentByKey.get(d.delivery_key) !== 1)).toEqual([]);
  expect(inDoubt.filter((d) => (sentByKey.get(d.delivery_key) ?? 0) > 1)).toEqual([]);
  expect(result).toMatchObject({ outcome: 'completed', matched: expected, delivered: expected - inDoubt.length });
  return inDoubt.length;
}
