import { Client, Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { testEnv } from '../support/env';
import { createTenant, createUser } from '../support/fixtures';
import { Http } from '../support/http';
import { Stack } from '../support/stack';

describe('walking skeleton: API → Temporal → worker → activity → Postgres', () => {
  const stack = new Stack('walking-skeleton');

  let http: Http;

  beforeAll(async () => {
    await stack.start();
    http = new Http(stack.baseUrl);
  });
  afterAll(() => stack.stop());

  it('reports database and Temporal up on /health', async () => {
    const res = await http.get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: { status: 'up' }, temporal: { status: 'up' } });
  });

  it('runs a workflow whose activity writes a row that the API reads back', async () => {
    const tenant = await createTenant(http);
    expect((await http.post('/v1/diagnostics/roundtrip')).status).toBe(401);
    expect((await (await createUser(tenant, 'standard')).http.post('/v1/diagnostics/roundtrip')).status).toBe(403);
    const { status, body } = await tenant.admin.post('/v1/diagnostics/roundtrip');
    expect(status).toBe(200);
    expect(body.workflowId).toBe(`diagnostic-roundtrip-${body.pingId}`);
    expect(body.workerIdentity).toMatch(/\S/);

    const pg = new PgClient({ connectionString: testEnv().databaseUrl });
    await pg.connect();
    const rows = await pg.query('SELECT workflow_id FROM diagnostic_pings WHERE id = $1', [body.pingId]);
    await pg.end();
    expect(rows.rows).toEqual([{ workflow_id: body.workflowId }]);

    const connection = await Connection.connect({ address: testEnv().temporalAddress });
    const description = await new Client({ connection }).workflow.getHandle(body.workflowId).describe();
    await connection.close();
    expect(description.status.name).toBe('COMPLETED');
    expect(description.taskQueue).toBe(stack.taskQueue);
  });

  it('serves the OpenAPI document', async () => {
    const { status, body: doc } = await http.get('/docs-json');
    expect(status).toBe(200);
    expect(doc.paths['/health']).toBeDefined();
    expect(doc.paths['/v1/diagnostics/roundtrip']).toBeDefined();
  });

  it('answers malformed JSON with a 400 in the API error shape', async () => {
    const res = await http.post('/v1/diagnostics/roundtrip', '{"oops');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.stringContaining('JSON') });
  });

  it('answers an oversized body with a 413', async () => {
    const res = await http.post('/v1/diagnostics/roundtrip', { pad: 'x'.repeat(300_000) });
    expect(res.status).toBe(413);
  });

  it('drains and exits cleanly on SIGTERM', async () => {
    await stack.startWorker();
    expect(await stack.stopWorker('SIGTERM')).toBe(0);
  });
});

describe('request bodies', () => {
  const stack = new Stack('request-bodies');
  let http: Http;

  beforeAll(async () => {
    await stack.start();
    http = new Http(stack.baseUrl);
  });
  afterAll(() => stack.stop());

  it('treats a missing body as empty: validation names the missing fields (400, not 500)', async () => {
    const res = await http.request('POST', '/v1/companies');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/company/);
  });

  it('answers a body that is not JSON with 415', async () => {
    const res = await http.post('/v1/companies', 'name=acme', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({ statusCode: 415, message: expect.stringContaining('application/json') });
  });
});
