import { Client, Connection } from '@temporalio/client';
import { testEnv } from '../support/env';
import { createTenant, Tenant } from '../support/fixtures';
import { Http } from '../support/http';
import { LedgerSeed } from '../support/ledger-seed';
import { mailsTo, waitForMails } from '../support/mail';
import { Stack } from '../support/stack';

// The worker of this stack fails its first delivery attempt right after the SMTP server accepted a mail and
// before the delivery is recorded: the retry must not send it again.
describe('reminders: an activity that fails once after sending', () => {
  process.env.RELANCE_FAULT_INJECT = 'deliver-after-send-once';
  const stack = new Stack('reminders-fault');
  let tenant: Tenant;
  let seed: LedgerSeed;
  let connection: Connection;

  beforeAll(async () => {
    await stack.start();
    delete process.env.RELANCE_FAULT_INJECT;
    tenant = await createTenant(new Http(stack.baseUrl));
    seed = await new LedgerSeed(tenant.companyId, tenant.adminId).connect();
    connection = await Connection.connect({ address: testEnv().temporalAddress });
  });
  afterAll(async () => {
    await seed?.end();
    await connection?.close();
    await stack.stop();
  });

  it('still gives exactly one email per record, and reports the one in doubt', async () => {
    const customers = [];
    for (let i = 0; i < 4; i += 1) customers.push(await seed.customer(`Fault ${i}`));
    for (const c of customers) await seed.invoice(c.id, { dueIn: 1 });
    const def = await seed.definition('payment-due-reminder', {
      conditions: [{ field: 'customerId', op: 'in', value: customers.map((c) => c.id) }],
      actions: [{ type: 'email', to: 'customer', subject: 'Reminder {{invoiceNumber}}', body: 'Hi {{customerName}}' }],
    });

    const res = await tenant.admin.post(`/v1/workflows/${def}/run-now`);
    expect(res.status).toBe(202);
    const result = await new Client({ connection }).workflow.getHandle(res.body.temporalWorkflowId).result();

    for (const c of customers) expect(await waitForMails(c.email, 1)).toHaveLength(1);
    // Nothing more arrives: the in-doubt delivery was not resent.
    await new Promise((r) => setTimeout(r, 1500));
    for (const c of customers) expect(await mailsTo(c.email)).toHaveLength(1);

    expect(result).toMatchObject({ matched: 4, failed: 1 });
    expect(result.delivered + result.failed).toBe(4);
    const runs = await tenant.admin.get(`/v1/workflow-runs?workflowId=${def}`);
    const run = await tenant.admin.get(`/v1/workflow-runs/${runs.body.data[0].id}`);
    expect(run.body).toMatchObject({ status: 'completed', outcome: 'completed_with_errors', matched: 4, failed: 1 });
    expect(run.body.errors).toEqual([expect.objectContaining({ message: expect.stringContaining('in doubt') })]);
    const inDoubt = run.body.deliveries.filter((d: { status: string }) => d.status === 'pending');
    expect(inDoubt).toEqual([expect.objectContaining({ channel: 'email', error: expect.stringContaining('not resent') })]);

    // A later run leaves the in-doubt delivery alone too.
    const again = await tenant.admin.post(`/v1/workflows/${def}/run-now`);
    const second = await new Client({ connection }).workflow.getHandle(again.body.temporalWorkflowId).result();
    expect(second).toMatchObject({ matched: 4, delivered: 0, skipped: 4 });
    for (const c of customers) expect(await mailsTo(c.email)).toHaveLength(1);
  });
});
