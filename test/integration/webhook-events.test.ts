import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createSweepActivities } from '../../src/activities/sweep.activities';
import { parseSecretKeys } from '../../src/config';
import { createDataSource } from '../../src/db/data-source';
import { webhookEvents } from '../../src/db/webhook-events';
import { recordWebhookEvents, WebhooksRepository } from '../../src/db/webhooks.repository';
import { webhookEventId } from '../../src/domain/webhook-signature';
import { SecretBox } from '../../src/infra/secret-box';
import { testEnv } from '../support/env';

/** Recording webhook events against the real Postgres: one delivery per subscribed endpoint, once per fact. */
describe(recordWebhookEvents.name, () => {
  let dataSource: DataSource;
  let companyId: string;
  let webhooks: WebhooksRepository;
  const endpoints: Record<string, string> = {};

  beforeAll(async () => {
    dataSource = await createDataSource(testEnv().databaseUrl, 2).initialize();
    webhooks = new WebhooksRepository(dataSource);
    const secret = new SecretBox(parseSecretKeys(process.env.RELANCE_SECRET_KEYS)).seal('whsec_x', 'webhook-secret');
    const [company] = await dataSource.query(
      `INSERT INTO companies (name, locale, timezone, currency, plan) VALUES ($1, 'en-US', 'America/Toronto', 'CAD', 'advanced') RETURNING id`,
      [`Webhooks ${randomUUID().slice(0, 8)}`]);
    companyId = company.id;
    for (const [name, events] of Object.entries({ payments: ['payment.received'], all: ['*'], failures: ['workflow.run.failed'] })) {
      endpoints[name] = (await webhooks.insertEndpoint({ companyId, url: `http://127.0.0.1:9/${name}`, events, secret })).id;
    }
  });
  afterAll(async () => {
    await dataSource?.query('DELETE FROM companies WHERE id = $1', [companyId]);
    await dataSource?.destroy();
  });

  const deliveriesOf = async (eventId: string) => (await dataSource.query(
    'SELECT endpoint_id FROM webhook_deliveries WHERE event_id = $1 ORDER BY endpoint_id', [eventId]) as { endpoint_id: string }[])
    .map((r) => r.endpoint_id);

  it('makes one delivery per subscribed endpoint, and nothing more when the same fact is recorded again', async () => {
    const event = { id: webhookEventId(`test:${randomUUID()}`), companyId, type: 'payment.received' as const, data: { amount: '1.00' } };
    await recordWebhookEvents(dataSource, [event]);
    await recordWebhookEvents(dataSource, [{ ...event, data: { amount: '2.00' } }]);
    expect(await deliveriesOf(event.id)).toEqual([endpoints.payments, endpoints.all].sort());
    const [stored] = await dataSource.query('SELECT data FROM webhook_events WHERE id = $1', [event.id]);
    expect(stored.data).toEqual({ amount: '1.00' });
  });

  it('keeps no event that no endpoint subscribes to', async () => {
    const [other] = await dataSource.query(
      `INSERT INTO companies (name, locale, timezone, currency, plan) VALUES ('Nobody listens', 'en-US', 'UTC', 'CAD', 'advanced') RETURNING id`);
    const id = webhookEventId(`test:${randomUUID()}`);
    await recordWebhookEvents(dataSource, [{ id, companyId: other.id, type: 'payment.received', data: {} }]);
    expect(await dataSource.query('SELECT 1 FROM webhook_events WHERE id = $1', [id])).toEqual([]);
    await dataSource.query('DELETE FROM companies WHERE id = $1', [other.id]);
  });

  it('rolls back with the transaction of its fact', async () => {
    const id = webhookEventId(`test:${randomUUID()}`);
    await expect(dataSource.transaction(async (manager) => {
      await recordWebhookEvents(manager, [{ id, companyId, type: 'payment.received', data: {} }]);
      throw new Error('the fact failed');
    })).rejects.toThrow('the fact failed');
    expect(await dataSource.query('SELECT 1 FROM webhook_events WHERE id = $1', [id])).toEqual([]);
  });

  it('records workflow.run.failed once when a sweep run is finished failed, and none when it completes', async () => {
    const finish = createSweepActivities(dataSource).finishRun;
    const run = async () => (await dataSource.query(
      `INSERT INTO workflow_runs (company_id, kind, trigger, temporal_workflow_id, temporal_run_id) VALUES ($1, 'sweep', 'schedule', $2, $3) RETURNING id`,
      [companyId, `wf-${randomUUID()}`, randomUUID()]))[0].id as string;
    const failed = await run();
    const counts = { matched: 3, delivered: 1, skipped: 0, failed: 2, errors: [{ message: 'the sweep failed: boom' }] };
    await finish({ runRecordId: failed, status: 'failed', ...counts });
    await finish({ runRecordId: failed, status: 'failed', ...counts }); // a retried activity
    const id = webhookEventId(`workflow.run.failed:${failed}`);
    expect(await deliveriesOf(id)).toEqual([endpoints.all, endpoints.failures].sort());
    const [event] = await dataSource.query('SELECT type, data FROM webhook_events WHERE id = $1', [id]);
    expect(event).toEqual({ type: 'workflow.run.failed', data: expect.objectContaining({ runId: failed, kind: 'sweep', errors: counts.errors }) });

    const completed = await run();
    await finish({ runRecordId: completed, status: 'completed', ...counts, errors: [] });
    expect(await deliveriesOf(webhookEventId(`workflow.run.failed:${completed}`))).toEqual([]);
  });

  it('has an emitter for escalations, which the escalation of a pending step calls', async () => {
    const approvalId = randomUUID();
    await webhookEvents.approvalEscalated(dataSource, {
      companyId, approvalId, invoiceId: randomUUID(), invoiceNumber: 'INV-1', step: 0, level: 1, escalatedTo: [randomUUID()], reason: 'no decision in 3 days',
    });
    expect(await deliveriesOf(webhookEventId(`invoice.approval.escalated:${approvalId}:0:1`))).toEqual([endpoints.all]);
  });

  it('records a bill\'s approval events as bill.approval.*, naming the bill', async () => {
    const approvalId = randomUUID();
    const document = { kind: 'bill' as const, id: randomUUID(), number: 'B-77' };
    await webhookEvents.approvalRequested(dataSource, { companyId, approvalId, document, step: 0, stepCount: 2, deadline: '2026-12-31', userIds: [] });
    await webhookEvents.approvalEscalated(dataSource, { companyId, approvalId, document, step: 0, level: 1, escalatedTo: [], reason: 'late' });
    await webhookEvents.approvalDecided(dataSource, { companyId, approvalId, document, outcome: 'rejected', decision: 'timeout', decidedBy: null, comment: null });
    const events = await dataSource.query(
      'SELECT id, type, data FROM webhook_events WHERE id = ANY($1) ORDER BY created_at, type',
      [[`bill.approval.requested:${approvalId}:0`, `bill.approval.escalated:${approvalId}:0:1`, `bill.approval.decided:${approvalId}`].map(webhookEventId)]);
    expect(events.map((e: { type: string }) => e.type).sort()).toEqual(['bill.approval.decided', 'bill.approval.escalated', 'bill.approval.requested']);
    for (const e of events) {
      expect(e.data).toMatchObject({ approvalId, billId: document.id, billNumber: 'B-77' });
      expect(e.data).not.toHaveProperty('invoiceId');
    }
    expect(events.find((e: { type: string }) => e.type === 'bill.approval.decided').data).toMatchObject({ outcome: 'rejected', decision: 'timeout' });
  });
});
