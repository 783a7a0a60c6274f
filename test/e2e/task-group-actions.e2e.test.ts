import { Client, Connection } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { testEnv } from '../support/env';
import { createTenant, createUser, Tenant } from '../support/fixtures';
import { Http } from '../support/http';
import { LedgerSeed } from '../support/ledger-seed';
import { Stack } from '../support/stack';

type User = Awaited<ReturnType<typeof createUser>>;

describe('a definition\'s task action given to a candidate group', () => {
  const stack = new Stack('task-group');
  let http: Http;
  let tenant: Tenant;
  let other: Tenant;
  let sam: User;
  let kim: User;
  let lee: User;
  let finance: string;
  let seed: LedgerSeed;
  let connection: Connection;
  let temporal: Client;

  async function group(t: Tenant, memberIds: string[]): Promise<string> {
    const res = await t.admin.post('/v1/approver-groups', { name: `Finance ${randomUUID().slice(0, 8)}`, memberIds });
    if (res.status !== 201) throw new Error(`creating a group failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id;
  }

  const depositDefinition = (customerId: string, task: Record<string, unknown>) => ({
    templateKey: 'bank-deposit-reminder', name: `Deposits ${randomUUID().slice(0, 8)}`,
    conditions: [{ field: 'receivedAt', op: 'older_than_days', value: 7 }, { field: 'customerId', op: 'eq', value: customerId }],
    actions: [{ type: 'task', title: 'Deposit {{money paymentAmount}} from {{customerName}}', ...task }],
    schedule: { time: '09:00' },
  });

  beforeAll(async () => {
    await stack.start();
    http = new Http(stack.baseUrl);
    tenant = await createTenant(http);
    other = await createTenant(http);
    sam = await createUser(tenant, 'standard', 'Sam');
    kim = await createUser(tenant, 'standard', 'Kim');
    lee = await createUser(tenant, 'standard', 'Lee');
    finance = await group(tenant, [sam.id, kim.id]);
    seed = await new LedgerSeed(tenant.companyId, tenant.adminId).connect();
    connection = await Connection.connect({ address: testEnv().temporalAddress });
    temporal = new Client({ connection });
  });
  afterAll(async () => {
    await seed?.end();
    await connection?.close();
    await stack.stop();
  });

  it('runs: the task is the group\'s, with no assignee, and a member claims it', async () => {
    const c = await seed.customer('Gina Group');
    const inv = await seed.invoice(c.id, { dueIn: 5, amount: '500.00' });
    const payment = await seed.payment(inv.id, c.id, { daysAgo: 10, amount: '200.00' });

    const created = await tenant.admin.post('/v1/workflows', depositDefinition(c.id, { candidateGroupId: finance }));
    expect(created.status).toBe(201);
    expect(created.body.actions[0]).toMatchObject({ type: 'task', assigneeId: null, candidateGroupId: finance });

    const preview = await tenant.admin.post(`/v1/workflows/${created.body.id}/preview`, {});
    expect(preview.status).toBe(200);
    expect(JSON.stringify(preview.body)).toContain(`"recipients":["group:${finance}"]`);

    expect((await tenant.admin.post(`/v1/workflows/${created.body.id}/activate`)).body.status).toBe('active');
    const run = await tenant.admin.post(`/v1/workflows/${created.body.id}/run-now`);
    expect(run.status).toBe(202);
    await temporal.workflow.getHandle(run.body.temporalWorkflowId).result();

    const listed = await sam.http.get(`/v1/tasks?candidateGroup=${finance}&status=open`);
    expect(listed.status).toBe(200);
    const task = listed.body.data.find((t: { recordId: string }) => t.recordId === payment.id);
    expect(task).toMatchObject({ assigneeId: null, candidateGroupId: finance, claimedBy: null, title: 'Deposit CA$200.00 from Gina Group' });

    expect((await lee.http.post(`/v1/tasks/${task.id}/claim`)).status).toBe(403);
    const claimed = await kim.http.post(`/v1/tasks/${task.id}/claim`);
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({ assigneeId: null, claimedBy: kim.id, candidateGroupId: finance });

    // A second run finds the same payment: the task is not opened twice.
    const again = await tenant.admin.post(`/v1/workflows/${created.body.id}/run-now`);
    await temporal.workflow.getHandle(again.body.temporalWorkflowId).result();
    const after = await tenant.admin.get(`/v1/tasks?candidateGroup=${finance}`);
    expect(after.body.data.filter((t: { recordId: string }) => t.recordId === payment.id)).toHaveLength(1);
  });

  it('keeps a group named by an active definition\'s task (action or collection step) from being deleted; a reactivation rechecks it', async () => {
    const named = await group(tenant, [sam.id]);
    const action = await tenant.admin.post('/v1/workflows', depositDefinition(randomUUID(), { candidateGroupId: named }));
    const steps = await tenant.admin.post('/v1/workflows', {
      templateKey: 'collection-sequence', name: `Dunning ${randomUUID().slice(0, 8)}`, schedule: { time: '09:00' },
      steps: [{ offsetDays: 3, subject: 'Late', body: 'Pay {{invoiceNumber}}', task: { candidateGroupId: named, title: 'Call' } }],
    });
    expect([action.status, steps.status]).toEqual([201, 201]);
    for (const id of [action.body.id, steps.body.id]) {
      expect((await tenant.admin.post(`/v1/workflows/${id}/activate`)).body.status).toBe('active');
      const refused = await tenant.admin.delete(`/v1/approver-groups/${named}`);
      expect(refused.status).toBe(409);
      expect(refused.body.message).toContain(id);
      expect((await tenant.admin.post(`/v1/workflows/${id}/deactivate`)).body.status).toBe('inactive');
    }
    expect((await tenant.admin.delete(`/v1/approver-groups/${named}`)).status).toBe(204);
    const reactivated = await tenant.admin.post(`/v1/workflows/${steps.body.id}/activate`);
    expect(reactivated.status).toBe(400);
    expect(reactivated.body.message).toContain(`steps[0].task.candidateGroupId: approver group ${named} is not a group of this company`);
  });

  it('refuses a group of another company, and a task with neither an assignee nor a group where one is required', async () => {
    const theirs = await group(other, [other.adminId]);
    const foreign = await tenant.admin.post('/v1/workflows', depositDefinition(randomUUID(), { candidateGroupId: theirs }));
    expect(foreign.status).toBe(400);
    expect(foreign.body.message).toContain(`actions[0].candidateGroupId: approver group ${theirs} is not a group of this company`);

    const notAnId = await tenant.admin.post('/v1/workflows', depositDefinition(randomUUID(), { candidateGroupId: 'finance' }));
    expect(notAnId.status).toBe(400);
    expect(notAnId.body.message).toContain('actions[0].candidateGroupId: "finance" is not a group id');

    const nobody = await tenant.admin.post('/v1/workflows', depositDefinition(randomUUID(), {}));
    expect(nobody.status).toBe(201);
    const activate = await tenant.admin.post(`/v1/workflows/${nobody.body.id}/activate`);
    expect(activate.status).toBe(422);
    expect(activate.body.message).toContain('no assignee; set assigneeId or candidateGroupId');

    const step = { offsetDays: 3, subject: 'Late', body: 'Pay {{invoiceNumber}}' };
    const sequence = (task: Record<string, unknown>) => tenant.admin.post('/v1/workflows', {
      templateKey: 'collection-sequence', name: `Dunning ${randomUUID().slice(0, 8)}`, steps: [{ ...step, task: { title: 'Call', ...task } }], schedule: { time: '09:00' },
    });
    const neither = await sequence({});
    expect(neither.status).toBe(400);
    expect(neither.body.message).toContain('steps[0].task needs "assigneeId" or "candidateGroupId"');
    const ok = await sequence({ candidateGroupId: finance });
    expect(ok.status).toBe(201);
    expect(ok.body.steps[0].task).toEqual({ candidateGroupId: finance, title: 'Call', description: '' });
    const foreignStep = await sequence({ candidateGroupId: theirs });
    expect(foreignStep.status).toBe(400);
    expect(foreignStep.body.message).toContain(`steps[0].task.candidateGroupId: approver group ${theirs} is not a group of this company`);
  });
});
