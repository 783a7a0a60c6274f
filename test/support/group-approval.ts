import { sql } from './db';
import { createTenant, createUser } from './fixtures';
import { Http } from './http';
import { createCustomer, tag } from './ledger';

export interface Person { id: string; name: string }
export interface StepView { approvers: Person[]; eligible: (Person & { onBehalfOf: Person | null })[]; escalated: boolean }
export interface ApprovalBody { status: string; steps: StepView[]; approvers: Person[] }

/**
 * A company whose invoice approval definition's steps name the group "Finance" (Gil, Hal and the creator Cora) by
 * `GROUP` and the user Bea by `BOSS`, and one of Cora's invoices (1,250.00) submitted under it. `limits` are Gil's and
 * Hal's approval limits, set before the submission. Otto belongs to no group; Dee is a spare user (a delegate).
 */
export async function submittedToGroupSteps(http: Http, steps: unknown[], limits?: Record<'gil' | 'hal', string | null>) {
  const t = await createTenant(http);
  const creator = await createUser(t, 'standard', 'Cora');
  const gil = await createUser(t, 'standard', 'Gil');
  const hal = await createUser(t, 'standard', 'Hal');
  const boss = await createUser(t, 'standard', 'Bea');
  const outsider = await createUser(t, 'standard', 'Otto');
  const dee = await createUser(t, 'standard', 'Dee');
  if (limits) {
    expect((await t.admin.patch(`/v1/users/${gil.id}`, { approvalLimit: limits.gil })).status).toBe(200);
    expect((await t.admin.patch(`/v1/users/${hal.id}`, { approvalLimit: limits.hal })).status).toBe(200);
  }
  const group = await t.admin.post('/v1/approver-groups', { name: 'Finance', memberIds: [gil.id, hal.id, creator.id] });
  expect(group.status).toBe(201);
  const fill = (v: unknown) => JSON.parse(JSON.stringify(v).replaceAll('GROUP', group.body.id).replaceAll('BOSS', boss.id));
  const definition = await t.admin.post('/v1/workflows', {
    templateKey: 'invoice-approval', name: 'Large invoices', conditions: [{ field: 'amount', op: 'gt', value: '1000.00' }],
    actions: [{ type: 'approval', steps: fill(steps), timeoutDays: 30 }], activate: true,
  });
  expect(definition.status).toBe(201);
  const customer = await createCustomer(t.admin, { email: `billing-${tag()}@globex.test` });
  const invoice = await creator.http.post('/v1/invoices', {
    number: `INV-${tag()}`, customerId: customer.id, amount: '1250.00', issueDate: '2026-12-01', dueDate: '2026-12-31',
  });
  expect(invoice.status).toBe(201);
  const invoiceId = invoice.body.id as string;
  expect((await creator.http.post(`/v1/invoices/${invoiceId}/submit-for-approval`)).status).toBe(200);
  // The step's tasks are opened once the run read its seats.
  const approvalTasks = () => sql<{ assigneeId: string; status: string }>(
    `SELECT assignee_id AS "assigneeId", status FROM tasks WHERE record_id = $1 AND kind = 'approval' ORDER BY created_at, assignee_id`, [invoiceId]);
  const openTasks = () => sql<{ assigneeId: string }>(
    `SELECT assignee_id AS "assigneeId" FROM tasks WHERE record_id = $1 AND kind = 'approval' AND status = 'open' ORDER BY assignee_id`, [invoiceId]);
  const view = () => creator.http.get(`/v1/invoices/${invoiceId}/approval`).then((r) => r.body as ApprovalBody);
  return { t, creator, gil, hal, boss, outsider, dee, group: group.body, invoiceId, number: invoice.body.number as string, approvalTasks, openTasks, view };
}
