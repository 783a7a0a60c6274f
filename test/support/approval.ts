/* eslint-disable @typescript-eslint/no-explicit-any */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { closeDb, sql } from './db';
import { testEnv } from './env';
import { createTenant, createUser, Tenant } from './fixtures';
import { Http } from './http';
import { createCustomer, tag } from './ledger';
import { Stack } from './stack';
import { until } from './until';

export type Member = Awaited<ReturnType<typeof createUser>>;

/** A tenant set up the way the seed describes it: a standard creator, an approver, someone to notify, one customer. */
export interface ApprovalCompany {
  tenant: Tenant;
  creator: Member;
  approver: Member;
  watcher: Member;
  outsider: Member;
  customer: { id: string; email: string; name: string };
  definitionId: string;
}

/**
 * Creates the company and, through `POST /v1/workflows`, an active `invoice-approval` definition for invoices over
 * 1000.00: `approver` decides, `watcher` is told by email and push. `actions` replaces the approval action.
 */
export async function approvalCompany(http: Http, approval: (ids: { approver: string; watcher: string; outsider: string }) => Record<string, unknown> = (ids) => ({
  type: 'approval', approverIds: [ids.approver], timeoutDays: 30,
})): Promise<ApprovalCompany> {
  const tenant = await createTenant(http);
  const creator = await createUser(tenant, 'standard', 'Cora');
  const approver = await createUser(tenant, 'standard', 'Avery');
  const watcher = await createUser(tenant, 'standard', 'Wes');
  const outsider = await createUser(tenant, 'standard', 'Olive');
  const customer = await createCustomer(tenant.admin, { email: `billing-${tag()}@globex.test` });
  const ids = { approver: approver.id, watcher: watcher.id, outsider: outsider.id };
  const definition = await tenant.admin.post('/v1/workflows', {
    templateKey: 'invoice-approval',
    name: 'Large invoices',
    conditions: [{ field: 'amount', op: 'gt', value: '1000.00' }],
    actions: [
      approval(ids),
      { type: 'email', to: { userIds: [watcher.id] } },
      { type: 'push', userIds: [watcher.id] },
    ],
    activate: true,
  });
  if (definition.status !== 201) throw new Error(`creating the approval definition failed: ${definition.status} ${JSON.stringify(definition.body)}`);
  return { tenant, creator, approver, watcher, outsider, customer, definitionId: definition.body.id };
}

/**
 * A stack and an approval company for one describe block (call it inside `describe`): started in `beforeAll`, the
 * company handed to `ready`; the database connection closed and the stack stopped in `afterAll`. `env` as Stack's.
 */
export function approvalStack(name: string, ready: (c: ApprovalCompany) => void, env: Record<string, string> = {}): Stack {
  const stack = new Stack(name, env);
  beforeAll(async () => {
    await stack.start();
    ready(await approvalCompany(new Http(stack.baseUrl)));
  });
  afterAll(async () => {
    await closeDb();
    await stack.stop();
  });
  return stack;
}

export async function createLargeInvoice(c: ApprovalCompany, by: Http = c.creator.http, amount = '1250.00'): Promise<any> {
  const res = await by.post('/v1/invoices', { number: `INV-${tag()}`, customerId: c.customer.id, amount, issueDate: '2026-12-01', dueDate: '2026-12-31' });
  if (res.status !== 201) throw new Error(`creating an invoice failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The approval tasks of `member` in one status, through the API the approver uses. */
export async function tasksOf(member: Member, status: 'open' | 'completed' | 'cancelled', invoiceId: string): Promise<any[]> {
  const res = await member.http.get(`/v1/tasks?assignee=me&status=${status}&recordId=${invoiceId}&kind=approval`);
  if (res.status !== 200) throw new Error(`listing tasks failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}

export async function notificationsAbout(member: Member, invoiceId: string): Promise<any[]> {
  const res = await member.http.get('/v1/notifications?limit=100');
  if (res.status !== 200) throw new Error(`listing notifications failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data.filter((n: { recordId: string }) => n.recordId === invoiceId);
}

/**
 * Waits until the run of a submission has told everyone of its outcome: the approver's answer does not wait for the
 * notices, which go out right after it, and the run's history row closes once they are out.
 */
export async function outcomeNotified(invoiceId: string, submission = 1, wait?: { attempts: number; intervalMs?: number }): Promise<void> {
  await until(() => sql<{ status: string }>('SELECT status FROM workflow_runs WHERE temporal_workflow_id = $1', [`invoice-approval-${invoiceId}-${submission}`]),
    (rows) => rows[0]?.status === 'completed', `the outcome notices of invoice ${invoiceId}`, wait);
}

/**
 * How long the notices of a run whose worker was killed may take: a notice activity the dead worker had taken (eager
 * dispatch hands it over with the workflow task's answer) is given to another worker once its 30-second start-to-close
 * timeout has passed.
 */
export const AFTER_A_KILLED_WORKER = { attempts: 500, intervalMs: 100 };

const run = promisify(execFile);

/** The Temporal CLI an SRE would use, against the test server; answers parsed JSON. */
export async function temporalCli(args: string[]): Promise<any> {
  const e = testEnv();
  const { stdout } = await run(e.temporalCliPath, [...args, '--address', e.temporalAddress, '--namespace', e.temporalNamespace, '-o', 'json']);
  return stdout.trim() ? JSON.parse(stdout) : null;
}

export async function workflowIdsMatching(query: string): Promise<string[]> {
  const runs = ((await temporalCli(['workflow', 'list', '--query', query])) ?? []) as { execution: { workflowId: string } }[];
  return runs.map((r) => r.execution.workflowId);
}
