import { Client, Connection } from '@temporalio/client';
import { testEnv } from '../support/env';
import { Http } from '../support/http';
import { OwnPostgres } from '../support/own-postgres';
import { SlowSmtp } from '../support/slow-smtp';
import { LedgerSeed } from '../support/ledger-seed';
import { Stack } from '../support/stack';
import { dueRemindersCompany, runNow } from '../support/sweep-outcome';
import { until } from '../support/until';

const REMINDERS = 300;

/**
 * A sweep of a few hundred reminders through an outage: the suite's own PostgreSQL stopped for 10 s in the middle,
 * then the worker killed with SIGKILL in the middle of another. The SMTP listener takes a while per message, so that
 * the sweep is still delivering when the fault comes.
 */
describe('reminders: a sweep through a database outage and a worker crash', () => {
  const postgres = new OwnPostgres();
  const smtp = new SlowSmtp(200);
  let stack: Stack;
  let connection: Connection;
  let temporal: Client;

  beforeAll(async () => {
    await postgres.start();
    process.env.DATABASE_URL = postgres.url; // LedgerSeed reads it
    stack = new Stack('reminders-outage', { DATABASE_URL: postgres.url, SMTP_URL: await smtp.start(), RELANCE_RECONCILE_SCHEDULES: 'false' });
    await stack.start();
    connection = await Connection.connect({ address: testEnv().temporalAddress });
    temporal = new Client({ connection });
  }, 120_000);
  afterAll(async () => {
    await connection?.close();
    await stack?.stop();
    await smtp.stop();
    await postgres.remove();
  });

  /** The definition's deliveries and run, read once the sweep is over. */
  async function outcome(definitionId: string) {
    const seed = await new LedgerSeed('', '').connect();
    try {
      const deliveries = await seed.query<{ delivery_key: string; status: string; error: string | null }>(
        'SELECT delivery_key, status, error FROM deliveries WHERE definition_id = $1', [definitionId]);
      const [run] = await seed.query<{ status: string; delivered: number; failed: number; errors: unknown[] }>(
        'SELECT status, delivered, failed, errors FROM workflow_runs WHERE definition_id = $1', [definitionId]);
      return { deliveries, run };
    } finally {
      await seed.end();
    }
  }

  it('Postgres stopped for 10 s in the middle: nothing recorded failed, every reminder sent once, the run completed', async () => {
    const { tenant, definitionId } = await dueRemindersCompany(new Http(stack.baseUrl), REMINDERS, 'Outage');
    const sentBefore = smtp.keys.length;
    const workflowId = await runNow(tenant, definitionId);
    await until(async () => smtp.keys.length - sentBefore, (n) => n >= 60, '60 reminders sent', { attempts: 600 });

    const stoppedAt = Date.now();
    await postgres.stop();
    const sentAtStop = smtp.keys.length - sentBefore;
    // The API meanwhile: a 503 that says to retry, never a 500, for reads and writes alike.
    const answers = await Promise.all([
      tenant.admin.get('/v1/invoices'),
      tenant.admin.post('/v1/customers', { name: 'During the outage' }, { 'Idempotency-Key': `outage-${definitionId}` }),
    ]);
    expect(answers.map((a) => [a.status, a.headers.get('retry-after'), a.body.message])).toEqual([
      [503, '2', expect.stringMatching(/^the database is unavailable/)], [503, '2', expect.stringMatching(/^the database is unavailable/)],
    ]);
    await new Promise((r) => setTimeout(r, Math.max(0, stoppedAt + 10_000 - Date.now())));
    const sentDuringOutage = smtp.keys.length - sentBefore - sentAtStop;
    await postgres.resume();
    const resumedAt = Date.now();

    const result = await temporal.workflow.getHandle(workflowId).result();
    const finishedAt = Date.now();
    expect((await tenant.admin.get('/v1/invoices')).status).toBe(200);
    console.log(`[outage] ${sentAtStop} sent before the stop, ${sentDuringOutage} while down (${((resumedAt - stoppedAt) / 1000).toFixed(1)} s), ` +
      `finished ${((finishedAt - resumedAt) / 1000).toFixed(1)} s after the restart; result ${JSON.stringify({ ...result, errors: result.errors.length })}`);
    expect(sentAtStop).toBeLessThan(REMINDERS);

    expect(result).toMatchObject({ outcome: 'completed', matched: REMINDERS, delivered: REMINDERS, failed: 0, errors: [] });
    const { deliveries, run } = await outcome(definitionId);
    expect(run).toMatchObject({ status: 'completed', delivered: REMINDERS, failed: 0, errors: [] });
    expect(deliveries).toHaveLength(REMINDERS);
    expect(deliveries.filter((d) => d.status !== 'sent')).toEqual([]);
    const counts = smtp.countsByKey();
    expect(deliveries.filter((d) => counts.get(d.delivery_key) !== 1).map((d) => [d.delivery_key, counts.get(d.delivery_key) ?? 0])).toEqual([]);
  }, 180_000);

  it('worker killed (SIGKILL) in the middle: a new worker finishes within 60 s, each reminder delivered once or reported in doubt', async () => {
    const { tenant, definitionId } = await dueRemindersCompany(new Http(stack.baseUrl), REMINDERS, 'Outage');
    const sentBefore = smtp.keys.length;
    const workflowId = await runNow(tenant, definitionId);
    await until(async () => smtp.keys.length - sentBefore, (n) => n >= 60, '60 reminders sent', { attempts: 600 });

    await stack.stopWorker('SIGKILL');
    const sentAtKill = smtp.keys.length - sentBefore;
    await stack.startWorker();
    const restartedAt = Date.now();
    const result = await temporal.workflow.getHandle(workflowId).result();
    const tookMs = Date.now() - restartedAt;
    console.log(`[crash] ${sentAtKill} sent before the kill; finished ${(tookMs / 1000).toFixed(1)} s after the restart; ` +
      `result ${JSON.stringify({ ...result, errors: result.errors.length })}`);
    expect(sentAtKill).toBeLessThan(REMINDERS);
    expect(tookMs).toBeLessThan(60_000);

    const { deliveries, run } = await outcome(definitionId);
    const counts = smtp.countsByKey();
    expect(deliveries).toHaveLength(REMINDERS);
    const inDoubt = deliveries.filter((d) => d.status === 'pending');
    expect(inDoubt.every((d) => /in doubt/.test(d.error ?? ''))).toBe(true);
    expect(deliveries.filter((d) => d.status === 'failed')).toEqual([]);
    // Sent once each; the ones in doubt at most once.
    expect(deliveries.filter((d) => d.status === 'sent' && counts.get(d.delivery_key) !== 1)).toEqual([]);
    expect(inDoubt.filter((d) => (counts.get(d.delivery_key) ?? 0) > 1)).toEqual([]);
    expect(result).toMatchObject({ outcome: 'completed', matched: REMINDERS, delivered: REMINDERS - inDoubt.length, failed: inDoubt.length });
    expect(run).toMatchObject({ status: 'completed', failed: inDoubt.length });
  }, 180_000);
});
