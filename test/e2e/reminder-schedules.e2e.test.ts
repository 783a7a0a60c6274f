import { Client, Connection, ScheduleDescription, ScheduleNotFoundError } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { searchAttributes } from '../../src/contracts';
import { execFileSync } from 'node:child_process';
import { ReminderSchedulesService } from '../../src/api/reminders/reminder-schedules.service';
import { TemporalClient } from '../../src/api/temporal/temporal.module';
import { Config, loadConfig } from '../../src/config';
import { ReminderScheduler } from '../../src/infra/reminder-scheduler';
import { createDataSource } from '../../src/db/data-source';
import type { DataSource } from 'typeorm';
import { testEnv } from '../support/env';
import { createTenant, Tenant } from '../support/fixtures';
import { Http } from '../support/http';
import { LedgerSeed } from '../support/ledger-seed';
import { Stack } from '../support/stack';

/** What `temporal schedule list` prints, as SREs would see it. */
/**
 * The schedules `temporal schedule list` shows for one definition, found by its search attribute as an SRE would (the
 * shared server holds the default schedules of every company the suites sign up: hundreds, more than one listing).
 */
function cliScheduleList(definitionId: string): Array<{ scheduleId: string; info?: unknown; state?: { paused?: boolean } }> {
  const e = testEnv();
  const out = execFileSync(e.temporalCliPath, ['schedule', 'list', '--address', e.temporalAddress, '--namespace', e.temporalNamespace, '-o', 'json',
    '--query', `${searchAttributes.workflowDefinitionId.name} = '${definitionId}'`], { encoding: 'utf8' });
  return out.trim() ? JSON.parse(out) : [];
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

// Definitions are seeded with SQL and their lifecycle hooks called on the real service: the definitions API is
// written on another branch and binds these hooks.
describe('reminder schedules on the Temporal dev server', () => {
  const stack = new Stack('reminder-schedules');
  let tenant: Tenant;
  let seed: LedgerSeed;
  let connection: Connection;
  let temporal: Client;
  let dataSource: DataSource;
  let apiClient: TemporalClient;
  let schedules: ReminderSchedulesService;
  let config: Config;

  beforeAll(async () => {
    await stack.start();
    tenant = await createTenant(new Http(stack.baseUrl), { timezone: 'America/Vancouver' });
    seed = await new LedgerSeed(tenant.companyId, tenant.adminId).connect();
    connection = await Connection.connect({ address: testEnv().temporalAddress });
    temporal = new Client({ connection });
    config = loadConfig({ ...process.env, TEMPORAL_TASK_QUEUE: stack.taskQueue });
    dataSource = await createDataSource(config.databaseUrl, 2).initialize();
    apiClient = new TemporalClient(config);
    schedules = new ReminderSchedulesService(apiClient, dataSource, config);
  });
  afterAll(async () => {
    await seed?.end();
    await connection?.close();
    await apiClient?.connection.close();
    await dataSource?.destroy();
    await stack.stop();
  });

  const describeSchedule = (definitionId: string): Promise<ScheduleDescription> => temporal.schedule.getHandle(`reminder-${definitionId}`).describe();

  async function definition(id: string) {
    const [row] = await seed.query<Record<string, unknown>>('SELECT * FROM workflow_definitions WHERE id = $1', [id]);
    return { id, companyId: String(row.company_id), templateKey: String(row.template_key), name: String(row.name), status: String(row.status),
      schedule: row.schedule as { time: string } | null };
  }

  it('follows the definition: created on activate at its time in the company timezone, updated, paused, resumed, deleted', async () => {
    const id = await seed.definition('payment-due-reminder', { time: '07:30', name: 'Due soon', actions: [] });
    await schedules.onActivated(await definition(id));

    const created = await describeSchedule(id);
    expect(created.spec.timezone).toBe('America/Vancouver');
    expect(created.spec.jitter).toBe(config.scheduleJitterSeconds * 1000);
    expect(created.spec.jitter).toBeGreaterThan(0);
    expect(created.spec.calendars).toEqual([expect.objectContaining({ hour: [{ start: 7, end: 7, step: 1 }], minute: [{ start: 30, end: 30, step: 1 }] })]);
    expect(created.policies.overlap).toBe('SKIP');
    expect(created.policies.catchupWindow).toBeGreaterThan(0);
    expect(created.state.paused).toBe(false);
    expect(created.action).toMatchObject({ type: 'startWorkflow', workflowType: 'reminderSweep', workflowId: `reminder-sweep-${id}`, taskQueue: stack.taskQueue });
    expect(created.action.type === 'startWorkflow' && created.action.staticSummary).toMatch(/Due soon/);
    const attributes = created.action.type === 'startWorkflow' ? (created.action.typedSearchAttributes as TypedSearchAttributes) : undefined;
    expect(attributes?.get(searchAttributes.workflowDefinitionId)).toBe(id);
    expect(attributes?.get(searchAttributes.companyId)).toBe(tenant.companyId);

    const listed = await until('the schedule in `temporal schedule list`', async () =>
      cliScheduleList(id).find((s) => s.scheduleId === `reminder-${id}`));
    expect(listed.scheduleId).toBe(`reminder-${id}`);

    await seed.query(`UPDATE workflow_definitions SET schedule = '{"time":"10:15"}' WHERE id = $1`, [id]);
    await schedules.onUpdated(await definition(id));
    expect((await describeSchedule(id)).spec.calendars?.[0]).toMatchObject({ hour: [{ start: 10, end: 10, step: 1 }], minute: [{ start: 15, end: 15, step: 1 }] });

    await seed.query(`UPDATE workflow_definitions SET status = 'inactive' WHERE id = $1`, [id]);
    await schedules.onDeactivated(await definition(id));
    expect((await describeSchedule(id)).state.paused).toBe(true);

    await seed.query(`UPDATE workflow_definitions SET status = 'active' WHERE id = $1`, [id]);
    await schedules.onActivated(await definition(id));
    expect((await describeSchedule(id)).state.paused).toBe(false);

    const def = await definition(id);
    await seed.query('DELETE FROM workflow_definitions WHERE id = $1', [id]);
    await schedules.onDeleted(def);
    await expect(describeSchedule(id)).rejects.toBeInstanceOf(ScheduleNotFoundError);
  });

  it('repairs drift when a worker starts: creates missing schedules, pauses orphans, deletes those of deleted definitions', async () => {
    const missing = await seed.definition('unsent-invoice-reminder', { actions: [] });
    const orphanActive = await seed.definition('bill-payment-reminder', { actions: [] });
    const gone = await seed.definition('bank-deposit-reminder', { actions: [] });
    await schedules.onActivated(await definition(orphanActive));
    await schedules.onActivated(await definition(gone));
    // The definitions change behind the schedules' back (as if the API had crashed between the two writes).
    await seed.query(`UPDATE workflow_definitions SET status = 'inactive' WHERE id = $1`, [orphanActive]);
    await seed.query('DELETE FROM workflow_definitions WHERE id = $1', [gone]);
    // The reconciler finds schedules through the visibility list, which lags their creation: both must be in it first.
    for (const id of [gone, orphanActive]) {
      await until(`the schedule of ${id === gone ? 'the deleted definition' : 'the orphan'} in the visibility list`, async () =>
        cliScheduleList(id).some((s) => s.scheduleId === `reminder-${id}`) ? true : undefined);
    }

    await stack.startWorker();

    // The worker reconciles every definition and schedule of the shared database and namespace (every suite's), so
    // under a full run it takes longer than one suite's alone (20 s were not enough in a fresh clone's run).
    const reconciled = 120_000;
    const created = await until('the missing schedule', () => describeSchedule(missing), reconciled);
    expect(created.state.paused).toBe(false);
    await until('the orphan to pause', async () => ((await describeSchedule(orphanActive)).state.paused ? true : undefined), reconciled);
    await until('the schedule of the deleted definition to go', async () =>
      describeSchedule(gone).then(() => undefined, (err) => (err instanceof ScheduleNotFoundError ? true : undefined)), reconciled);
  }, 300_000);

  it('gives the configured jitter to a running schedule made without it when a worker reconciles', async () => {
    const id = await seed.definition('payment-due-reminder', { actions: [] });
    const unjittered = new ReminderScheduler(temporal, stack.taskQueue, dataSource, { jitterSeconds: 0 });
    await unjittered.sync(await definition(id));
    expect((await describeSchedule(id)).spec.jitter ?? 0).toBe(0);
    // The reconciler reads the schedules' specs from the visibility list, which lags the create a little.
    await until('the schedule in the visibility list', async () => {
      for await (const s of temporal.schedule.list()) if (s.scheduleId === `reminder-${id}` && s.spec?.calendars?.length) return true;
      return undefined;
    });

    const report = await new ReminderScheduler(temporal, stack.taskQueue, dataSource, { jitterSeconds: config.scheduleJitterSeconds }).reconcile();

    expect(report.updated).toContain(id);
    const updated = await describeSchedule(id);
    expect(updated.spec.jitter).toBe(config.scheduleJitterSeconds * 1000);
    expect(updated.state.paused).toBe(false);
    expect(updated.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 9, end: 9, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] });
  });

  it('pauses every schedule of a company downgraded to essentials (through PATCH /v1/companies/me)', async () => {
    const other = await createTenant(new Http(stack.baseUrl));
    const otherSeed = await new LedgerSeed(other.companyId, other.adminId).connect();
    try {
      const a = await otherSeed.definition('payment-due-reminder', { actions: [] });
      const b = await otherSeed.definition('unsent-invoice-reminder', { actions: [] });
      for (const id of [a, b]) await schedules.onActivated(await definition(id));
      const res = await other.admin.patch('/v1/companies/me', { plan: 'essentials' });
      expect(res.status).toBe(200);
      for (const id of [a, b]) expect((await describeSchedule(id)).state.paused).toBe(true);
      expect(await otherSeed.query('SELECT DISTINCT status FROM workflow_definitions WHERE company_id = $1', [other.companyId])).toEqual([{ status: 'inactive' }]);
    } finally {
      await otherSeed.end();
    }
  });
});
