import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { audit } from '../../src/api/audit/audit-trail';
import { AuditEventsRepository } from '../../src/db/audit-events.repository';
import { createDataSource } from '../../src/db/data-source';
import { testEnv } from '../support/env';

/** The audit trail against the real Postgres: append-only whatever the statement, and written with its change or not at all. */
describe(AuditEventsRepository.name, () => {
  let dataSource: DataSource;
  let companyId: string;
  const actor = () => ({ id: randomUUID(), companyId, apiKeyId: randomUUID(), clientAddress: '198.51.100.9' });

  beforeAll(async () => {
    dataSource = await createDataSource(testEnv().databaseUrl, 2).initialize();
    const [company] = await dataSource.query(
      `INSERT INTO companies (name, locale, timezone, currency, plan) VALUES ($1, 'en-US', 'UTC', 'CAD', 'advanced') RETURNING id`,
      [`Audit ${randomUUID().slice(0, 8)}`]);
    companyId = company.id;
  });
  afterAll(() => dataSource?.destroy());

  const entriesOf = (targetId: string) => dataSource.query('SELECT * FROM audit_events WHERE target_id = $1', [targetId]);

  async function recorded(): Promise<string> {
    const targetId = randomUUID();
    await dataSource.transaction((m) => audit.record(m, actor(), { type: 'workflow.activated', targetId, data: { status: { old: 'draft', new: 'active' } } }));
    expect(await entriesOf(targetId)).toHaveLength(1);
    return targetId;
  }

  it('refuses UPDATE, DELETE and TRUNCATE of an entry (the trigger raises), leaving it as it was', async () => {
    const targetId = await recorded();
    await expect(dataSource.query(`UPDATE audit_events SET data = '{}', actor_id = NULL WHERE target_id = $1`, [targetId]))
      .rejects.toThrow('audit_events is append-only: UPDATE refused');
    await expect(dataSource.query('DELETE FROM audit_events WHERE target_id = $1', [targetId]))
      .rejects.toThrow('audit_events is append-only: DELETE refused');
    await expect(dataSource.query('TRUNCATE audit_events')).rejects.toThrow('audit_events is append-only: TRUNCATE refused');
    const [entry] = await entriesOf(targetId);
    expect(entry).toMatchObject({ type: 'workflow.activated', target_type: 'workflow', client_address: '198.51.100.9',
      data: { status: { old: 'draft', new: 'active' } } });
  });

  it('refuses to delete a company that has entries (no cascade)', async () => {
    await recorded();
    await expect(dataSource.query('DELETE FROM companies WHERE id = $1', [companyId])).rejects.toThrow(/foreign key/);
  });

  it('leaves no entry when the transaction of its change rolls back', async () => {
    const targetId = randomUUID();
    await expect(dataSource.transaction(async (m) => {
      await audit.record(m, actor(), { type: 'workflow.deleted', targetId, data: { templateKey: 'x', name: 'y', status: 'draft' } });
      throw new Error('the change failed');
    })).rejects.toThrow('the change failed');
    expect(await entriesOf(targetId)).toEqual([]);
  });

  it('is written in a transaction or not at all, and never with a secret in its data', async () => {
    const targetId = randomUUID();
    await expect(audit.record(dataSource.manager, actor(), { type: 'user.created', targetId, data: { role: 'admin' } }))
      .rejects.toThrow('an audit entry is written in the transaction of its change');
    await expect(dataSource.transaction((m) => audit.record(m, actor(), { type: 'api_key.issued', targetId, data: { apiKey: 'rlk_x_y' } })))
      .rejects.toThrow('audit data must not hold "apiKey"');
    expect(await entriesOf(targetId)).toEqual([]);
  });

  it('pages newest first, entries of one transaction included, without a duplicate or a gap', async () => {
    const [company] = await dataSource.query(
      `INSERT INTO companies (name, locale, timezone, currency, plan) VALUES ('Audit pages', 'en-US', 'UTC', 'CAD', 'advanced') RETURNING id`);
    const who = { ...actor(), companyId: company.id };
    const targets = Array.from({ length: 5 }, () => randomUUID());
    await dataSource.transaction(async (m) => {
      for (const targetId of targets) await audit.record(m, who, { type: 'workflow.created', targetId, data: {} });
    });
    const repo = new AuditEventsRepository(dataSource);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await repo.findPage(company.id, {}, { limit: 2, cursor });
      seen.push(...page.data.map((e) => e.target_id!));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...targets].reverse());
  });
});
