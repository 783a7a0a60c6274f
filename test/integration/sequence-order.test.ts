import { MockActivityEnvironment } from '@temporalio/testing';
import { Runtime } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDeliveryActivities, deliveryKey } from '../../src/activities/delivery.activities';
import type { DeliverBatchResult } from '../../src/contracts';
import { createDataSource } from '../../src/db/data-source';
import { createDeliveriesRepository } from '../../src/db/deliveries.repository';
import { SweepsRepository } from '../../src/db/sweeps.repository';
import { addDays, todayIn } from '../../src/domain/dates';
import { createMailer, type Mailer } from '../../src/infra/mailer';
import { testEnv } from '../support/env';
import { mailsTo, waitForMails } from '../support/mail';

const TZ = 'America/Toronto';
const DAY = 86_400_000;
const steps = [-3, 1, 7].map((offsetDays, i) => ({ offsetDays, subject: `Step ${i + 1}`, body: 'Please pay.' }));

/**
 * A dunning sequence's order and progress against the real Postgres and SMTP listener, where two runs (a stale one
 * whose emails waited for the send window, a newer one) or two attempts of one delivery meet.
 */
describe('collection-sequence deliveries: in order, and moving on from a doubt', () => {
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

  /** A company, a customer and one invoice due `dueIn` days from today, under a sequence with `catchUp`. */
  async function seed(catchUp: 'latest' | 'all', dueIn: number) {
    const tag = randomUUID().slice(0, 8);
    const [{ id: companyId }] = await dataSource.query(
      `INSERT INTO companies (name, locale, timezone, currency, plan) VALUES ($1, 'en-US', $2, 'USD', 'advanced') RETURNING id`, [`Order ${tag}`, TZ]);
    const [{ id: userId }] = await dataSource.query(
      `INSERT INTO users (company_id, name, email, role) VALUES ($1, 'Ada', $2, 'admin') RETURNING id`, [companyId, `ada-${tag}@order.test`]);
    const email = `buyer-${tag}@order.test`;
    const [{ id: customerId }] = await dataSource.query(
      `INSERT INTO customers (company_id, name, email) VALUES ($1, 'Buyer', $2) RETURNING id`, [companyId, email]);
    const [{ id: definitionId }] = await dataSource.query(
      `INSERT INTO workflow_definitions (company_id, template_key, name, status, conditions, actions, schedule, locale, sequence)
       VALUES ($1, 'collection-sequence', 'Dunning', 'active', '[]', '[]', '{"time":"09:00"}', 'en-US', $2) RETURNING id`,
      [companyId, JSON.stringify({ steps, catchUp })]);
    const [{ id: invoiceId }] = await dataSource.query(
      `INSERT INTO invoices (company_id, number, customer_id, amount, balance, issue_date, due_date, created_by)
       VALUES ($1, $2, $3, 100, 100, $4, $5, $6) RETURNING id`,
      [companyId, `O-${tag}`, customerId, addDays(today, dueIn - 30), addDays(today, dueIn), userId]);
    const run = async () => (await sweeps.recordRunStarted({ id: definitionId, companyId }, {
      kind: 'sweep', trigger: 'schedule', workflowId: `order-${randomUUID()}`, runId: randomUUID(),
    })).id;
    /** The delivery row of step `n` (1-based) to the customer, claimed `pending` by `runId` as an attempt in flight. */
    const pendingStep = async (n: number, runId: string) => {
      const occurrence = `step-${n}`;
      const slot = { channel: 'email' as const, recipient: email };
      const claim = await createDeliveriesRepository(dataSource).claim({
        key: deliveryKey(definitionId, { recordType: 'invoice', id: invoiceId }, occurrence, slot),
        owner: { companyId, definitionId, runId, recordType: 'invoice', recordId: invoiceId }, occurrence, ...slot,
      }, { status: 'pending', retakePending: false, token: randomUUID() });
      expect(claim.claimed).toBe(true);
    };
    const progress = async () => (await dataSource.query(
      'SELECT last_step FROM collection_progress WHERE definition_id = $1 AND invoice_id = $2', [definitionId, invoiceId]))[0]?.last_step ?? null;
    return { companyId, definitionId, invoiceId, email, run, pendingStep, progress };
  }

  const deliver = (s: Awaited<ReturnType<typeof seed>>, runRecordId: string, asOf: Date, attempt = 1): Promise<DeliverBatchResult> =>
    new MockActivityEnvironment({ attempt, workflowExecution: { workflowId: `order-${runRecordId}`, runId: randomUUID() } })
      .run(createDeliveryActivities({ dataSource, mailer }).deliverBatch, {
        runRecordId, definitionId: s.definitionId, companyId: s.companyId, asOf: asOf.toISOString(), recordIds: [s.invoiceId],
      });

  it('never sends a step after a later one is in flight: a stale run at its opening finds step 3 going out and sends nothing', async () => {
    const s = await seed('latest', -9); // step 3 (day 7) is today's latest; on day 2 it was step 2
    await s.pendingStep(3, await s.run()); // a newer run is sending step 3 right now
    const stale = await deliver(s, await s.run(), new Date(Date.now() - 7 * DAY)); // its "today" was day 2: step 2
    expect(stale).toMatchObject({ stillMatching: 1, delivered: 0, failed: 0 });
    expect(await mailsTo(s.email)).toEqual([]);
    const rows = await dataSource.query('SELECT occurrence FROM deliveries WHERE record_id = $1 ORDER BY occurrence', [s.invoiceId]);
    expect(rows.map((r: { occurrence: string }) => r.occurrence)).toEqual(['step-3']);
  });

  it('sends the earlier step when nothing later is under way, and the later one after it', async () => {
    const s = await seed('latest', -9);
    expect(await deliver(s, await s.run(), new Date(Date.now() - 7 * DAY))).toMatchObject({ delivered: 1 });
    expect(await s.progress()).toBe(1);
    expect(await deliver(s, await s.run(), new Date())).toMatchObject({ delivered: 1 });
    expect(await s.progress()).toBe(2);
    expect((await waitForMails(s.email, 2)).map((m) => m.subject)).toEqual(['Step 2', 'Step 3']);
  });

  it('moves on from a step in doubt: its progress is recorded with the doubt, so catch-up "all" offers the next step', async () => {
    const s = await seed('all', 3); // step 1 (three days before due) is today's
    const runId = await s.run();
    await s.pendingStep(1, runId); // the first attempt stopped between sending and recording
    const retried = await deliver(s, runId, new Date(), 2);
    expect(retried).toMatchObject({ delivered: 0, failed: 1 });
    expect(retried.errors[0].message).toMatch(/in doubt/);
    expect(await mailsTo(s.email)).toEqual([]); // at most once: not sent again
    expect(await s.progress()).toBe(0);
  });
});
