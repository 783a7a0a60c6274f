/* eslint-disable @typescript-eslint/no-explicit-any */
import { randomUUID } from 'node:crypto';
import { closeDb, sql } from '../support/db';
import { createTenant, createUser, Tenant } from '../support/fixtures';
import { Http } from '../support/http';
import { Stack } from '../support/stack';

/** `GET /v1/workflow-runs/:id/deliveries`: every delivery of a run, page by page, beyond the first ones its detail lists. */
describe('a run\'s deliveries', () => {
  const stack = new Stack('workflow-run-deliveries');
  let http: Http;

  beforeAll(async () => {
    await stack.start();
    http = new Http(stack.baseUrl);
  });
  afterAll(async () => {
    await closeDb();
    await stack.stop();
  });

  /** A finished sweep run with deliveries, as the worker records them: the route under test only reads them. */
  async function runWith(t: Tenant, statuses: ('sent' | 'failed' | 'pending')[]): Promise<{ runId: string; ids: string[] }> {
    const [{ id: runId }] = await sql<{ id: string }>(
      `INSERT INTO workflow_runs (company_id, kind, trigger, temporal_workflow_id, temporal_run_id, status, ended_at, matched, delivered, failed)
       VALUES ($1, 'sweep', 'manual', $2, $3, 'completed', now(), $4, $5, $6) RETURNING id`,
      [t.companyId, `reminder-sweep-${randomUUID()}`, randomUUID(), statuses.length, statuses.filter((s) => s === 'sent').length,
        statuses.filter((s) => s === 'failed').length]);
    const ids: string[] = [];
    for (const [i, status] of statuses.entries()) {
      const [{ id }] = await sql<{ id: string }>(
        `INSERT INTO deliveries (company_id, run_id, record_type, record_id, occurrence, channel, recipient, status, error, attempts, delivery_key, created_at, sent_at)
         VALUES ($1, $2, 'invoice', $3, 'step-0', 'email', $4, $5, $6, 1, $7, now() - make_interval(secs => $8), CASE WHEN $5 = 'sent' THEN now() END) RETURNING id`,
        [t.companyId, runId, randomUUID(), `c${i}@example.test`, status, status === 'failed' ? '550 mailbox unavailable' : null, `test|${randomUUID()}`, 100 - i]);
      ids.push(id);
    }
    return { runId, ids };
  }

  async function all(caller: Http, path: string): Promise<any[]> {
    const rows: any[] = [];
    let cursor: string | null = null;
    do {
      const res = await caller.get(`${path}${path.includes('?') ? '&' : '?'}limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(3);
      rows.push(...res.body.data);
      cursor = res.body.nextCursor;
    } while (cursor);
    return rows;
  }

  it('pages through every delivery in the order they were made, as the run\'s detail lists them', async () => {
    const t = await createTenant(http);
    const statuses = ['sent', 'sent', 'failed', 'sent', 'pending', 'failed', 'sent'] as const;
    const { runId, ids } = await runWith(t, [...statuses]);
    const paged = await all(t.admin, `/v1/workflow-runs/${runId}/deliveries`);
    expect(paged.map((d) => d.id)).toEqual(ids);
    const detail = await t.admin.get(`/v1/workflow-runs/${runId}`);
    expect(paged).toEqual(detail.body.deliveries);
    expect(paged[2]).toMatchObject({ status: 'failed', error: '550 mailbox unavailable', channel: 'email', recipient: 'c2@example.test' });
  });

  it('filters by status, one or several', async () => {
    const t = await createTenant(http);
    const { runId, ids } = await runWith(t, ['sent', 'failed', 'pending', 'failed', 'sent']);
    expect((await all(t.admin, `/v1/workflow-runs/${runId}/deliveries?status=failed`)).map((d) => d.id)).toEqual([ids[1], ids[3]]);
    expect((await all(t.admin, `/v1/workflow-runs/${runId}/deliveries?status=pending,failed`)).map((d) => d.id)).toEqual([ids[1], ids[2], ids[3]]);
    const bad = await t.admin.get(`/v1/workflow-runs/${runId}/deliveries?status=lost`);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('status');
  });

  it('is for any user of the company; another company\'s run is a 404, no key a 401', async () => {
    const t = await createTenant(http);
    const other = await createTenant(http);
    const { runId } = await runWith(t, ['sent']);
    const sam = await createUser(t, 'standard');
    expect((await sam.http.get(`/v1/workflow-runs/${runId}/deliveries`)).body.data).toHaveLength(1);
    const foreign = await other.admin.get(`/v1/workflow-runs/${runId}/deliveries`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.message).toBe(`workflow run ${runId} not found`);
    expect((await http.get(`/v1/workflow-runs/${runId}/deliveries`)).status).toBe(401);
  });
});
