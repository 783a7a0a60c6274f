import { MockActivityEnvironment } from '@temporalio/testing';
import { Runtime } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDeliveryActivities } from '../../src/activities/delivery.activities';
import type { DeliverBatchResult } from '../../src/contracts';
import { createDataSource } from '../../src/db/data-source';
import { SweepsRepository } from '../../src/db/sweeps.repository';
import { addDays, todayIn } from '../../src/domain/dates';
import { createMailer, type Mailer } from '../../src/infra/mailer';
import { testEnv } from '../support/env';
import { mailsTo, waitForMails } from '../support/mail';

const TZ = 'America/Toronto';

/**
 * A message that fails to render at send time (a helper throwing on one record's data, in a template stored before
 * the save-time check refused it) is that record's failure, recorded with its reason: the batch's other records go
 * out and the activity does not throw (which would retry the whole batch and fail the run).
 */
describe('deliveries whose message fails to render', () => {
  let dataSource: DataSource;
  let mailer: Mailer;
  let sweeps: SweepsRepository;
  const today = todayIn(TZ, new Date());

  beforeAll(async () => {
    dataSource = await createDataSource(testEnv().databaseUrl, 3).initialize();
    mailer = createMailer(testEnv().smtpUrl, 'Relance <no-reply@relance.test>');
    sweeps = new SweepsRepository(dataSource);
  });
  afterAll(async () => {
    mailer?.close();
    await dataSource?.destroy();
    await Runtime.instance().shutdown();
  });

  /** A company with one invoice per customer name, due in 3 days, under a one-step sequence (step 1 today) with `step`. */
  async function seed(names: string[], step: Record<string, unknown>) {
    const tag = randomUUID().slice(0, 8);
    const [{ id: companyId }] = await dataSource.query(
      `INSERT INTO companies (name, locale, timezone, currency, plan) VALUES ($1, 'en-US', $2, 'USD', 'advanced') RETURNING id`, [`Render ${tag}`, TZ]);
    const [{ id: userId }] = await dataSource.query(
      `INSERT INTO users (company_id, name, email, role) VALUES ($1, 'Ada', $2, 'admin') RETURNING id`, [companyId, `ada-${tag}@render.test`]);
    // Straight into the table: the save-time check would refuse this template.
    const [{ id: definitionId }] = await dataSource.query(
      `INSERT INTO workflow_definitions (company_id, template_key, name, status, conditions, actions, schedule, locale, sequence)
       VALUES ($1, 'collection-sequence', 'Dunning', 'active', '[]', '[]', '{"time":"09:00"}', 'en-US', $2) RETURNING id`,
      [companyId, JSON.stringify({ steps: [{ offsetDays: -3, ...step }], catchUp: 'latest' })]);
    const records: Array<{ name: string; email: string; invoiceId: string }> = [];
    for (const [i, name] of names.entries()) {
      const email = `buyer-${i}-${tag}@render.test`;
      const [{ id: customerId }] = await dataSource.query(
        'INSERT INTO customers (company_id, name, email) VALUES ($1, $2, $3) RETURNING id', [companyId, name, email]);
      const [{ id: invoiceId }] = await dataSource.query(
        `INSERT INTO invoices (company_id, number, customer_id, amount, balance, issue_date, due_date, created_by)
         VALUES ($1, $2, $3, 100, 100, $4, $5, $6) RETURNING id`,
        [companyId, `R-${tag}-${i}`, customerId, addDays(today, -27), addDays(today, 3), userId]);
      records.push({ name, email, invoiceId });
    }
    const runRecordId = (await sweeps.recordRunStarted({ id: definitionId, companyId }, {
      kind: 'sweep', trigger: 'schedule', workflowId: `render-${randomUUID()}`, runId: randomUUID(),
    })).id;
    const deliver = (): Promise<DeliverBatchResult> => new MockActivityEnvironment({ attempt: 1, workflowExecution: { workflowId: `render-${runRecordId}`, runId: randomUUID() } })
      .run(createDeliveryActivities({ dataSource, mailer }).deliverBatch, {
        runRecordId, definitionId, companyId, asOf: new Date().toISOString(), recordIds: records.map((r) => r.invoiceId),
      });
    const rowOf = async (invoiceId: string) => (await dataSource.query(
      'SELECT status, error FROM deliveries WHERE record_id = $1', [invoiceId]))[0] as { status: string; error: string | null } | undefined;
    return { records, deliver, rowOf };
  }

  it('records the one record whose data breaks a helper as failed, with why, and sends the others', async () => {
    // {{money}} of a money-like value in an unknown currency throws; of any other text it shows the text.
    const s = await seed(['Alpha', '100.00', 'Gamma'], { subject: 'Reminder for {{customerName}}', body: 'Dear {{money customerName currency="EURO"}}' });
    const result = await s.deliver();
    expect(result).toMatchObject({ stillMatching: 3, delivered: 2, failed: 1 });
    const [alpha, broken, gamma] = s.records;
    expect(result.errors).toEqual([{ recordId: broken.invoiceId, message: expect.stringMatching(/^email to .*: the message could not be rendered: .*currency/i) }]);
    expect(await s.rowOf(broken.invoiceId)).toMatchObject({ status: 'failed', error: expect.stringMatching(/could not be rendered.*currency/i) });
    for (const ok of [alpha, gamma]) {
      expect(await s.rowOf(ok.invoiceId)).toMatchObject({ status: 'sent' });
      expect((await waitForMails(ok.email, 1)).map((m) => m.subject)).toEqual([`Reminder for ${ok.name}`]);
    }
    expect(await mailsTo(broken.email)).toEqual([]);
  });

  it('records every record failed when the template breaks for all, and does not throw', async () => {
    const s = await seed(['One', 'Two', 'Three'], { subject: 'Owed {{money balance currency="EURO"}}', body: 'Please pay.' });
    const result = await s.deliver();
    expect(result).toMatchObject({ stillMatching: 3, delivered: 0, failed: 3 });
    for (const r of s.records) {
      expect(await s.rowOf(r.invoiceId)).toMatchObject({ status: 'failed', error: expect.stringMatching(/could not be rendered/) });
      expect(await mailsTo(r.email)).toEqual([]);
    }
  });
});
