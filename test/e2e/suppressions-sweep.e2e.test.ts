import { Client, Connection } from '@temporalio/client';
import { addDays, todayIn } from '../../src/domain/dates';
import { closeDb, sql } from '../support/db';
import { testEnv } from '../support/env';
import { createTenant, Tenant } from '../support/fixtures';
import { Http } from '../support/http';
import { createCustomer, createInvoice } from '../support/ledger';
import { mailsTo, waitForMails } from '../support/mail';
import { Stack } from '../support/stack';

/** The next collection run after a suppression: nothing is sent to the address, and the run says why. */
describe('a collection run and suppressed addresses', () => {
  const stack = new Stack('suppressions-sweep');
  let tenant: Tenant;
  let temporal: Client;
  let connection: Connection;
  let today: string;

  beforeAll(async () => {
    await stack.start();
    tenant = await createTenant(new Http(stack.baseUrl));
    today = todayIn(String(tenant.company.timezone), new Date());
    connection = await Connection.connect({ address: testEnv().temporalAddress });
    temporal = new Client({ connection });
  });
  afterAll(async () => {
    await connection?.close();
    await closeDb();
    await stack.stop();
  });

  it('sends nothing to a suppressed address and still mails the others', async () => {
    const gone = await createCustomer(tenant.admin, { name: 'Gone' });
    const fine = await createCustomer(tenant.admin, { name: 'Fine' });
    const due = { issueDate: addDays(today, -40), dueDate: addDays(today, -1) };
    const lost = await createInvoice(tenant.admin, gone.id, due);
    const kept = await createInvoice(tenant.admin, fine.id, due);
    await sql(`INSERT INTO suppressions (company_id, address, origin, reason) VALUES ($1, $2, 'bounce', '5.1.1 user unknown')`,
      [tenant.companyId, gone.email]);

    const created = await tenant.admin.post('/v1/workflows', {
      templateKey: 'collection-sequence', name: 'Dunning', activate: true,
      steps: [{ offsetDays: 1, subject: '{{invoiceNumber}} is past due', body: 'Hello {{customerName}}.' }],
      conditions: [{ field: 'customerId', op: 'in', value: [gone.id, fine.id] }],
    });
    expect(created.status).toBe(201);
    const run = await tenant.admin.post(`/v1/workflows/${created.body.id}/run-now`);
    expect(run.status).toBe(202);
    expect(await temporal.workflow.getHandle(run.body.temporalWorkflowId).result()).toMatchObject({ matched: 2, delivered: 1, skipped: 1, failed: 0 });

    await waitForMails(fine.email, 1);
    expect(await mailsTo(gone.email)).toEqual([]);
    expect(await sql(`SELECT status FROM deliveries WHERE record_id = $1 AND channel = 'email'`, [kept.id])).toEqual([{ status: 'sent' }]);
    expect(await sql(`SELECT status FROM deliveries WHERE record_id = $1 AND status <> 'skipped'`, [lost.id])).toEqual([]);
  });

  // The outbox does not record the planner's skips yet (its next step). Then, in the test above:
  //   expect(await sql(`SELECT channel, status, skip_reason FROM deliveries WHERE record_id = $1`, [lost.id]))
  //     .toEqual([{ channel: 'email', status: 'skipped', skip_reason: 'suppressed' }]);
  it.todo('records the skipped email to a suppressed address as skipped, with the reason suppressed');
});
