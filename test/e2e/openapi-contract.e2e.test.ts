import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTenant, Tenant } from '../support/fixtures';
import { Http } from '../support/http';
import { Stack } from '../support/stack';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * Runs a Node CLI without blocking the event loop: a blocked loop would miss the API closing idle keep-alive sockets,
 * and the next request would go out on a dead one.
 */
function runNode(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ status: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ status: err ? Number((err as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}
const committed = JSON.parse(readFileSync(path.join(ROOT, 'openapi.json'), 'utf8'));
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

type Operation = {
  summary?: string; security?: unknown[]; parameters?: unknown[]; requestBody?: unknown;
  responses: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }>;
};
const operations = (): [string, string, Operation][] => Object.entries(committed.paths as Record<string, Record<string, Operation>>)
  .flatMap(([p, item]) => Object.entries(item).filter(([m]) => METHODS.includes(m)).map(([m, op]): [string, string, Operation] => [m, p, op]));

/** The contract integrators generate clients from: openapi.json, committed, is what the API serves and answers. */
describe('the OpenAPI contract', () => {
  const stack = new Stack('openapi-contract');
  let http: Http;
  let tenant: Tenant;

  beforeAll(async () => {
    await stack.start();
    http = new Http(stack.baseUrl);
    tenant = await createTenant(http);
  });
  afterAll(() => stack.stop());

  it('serves at /docs-json exactly the committed openapi.json (run `npm run openapi` after a contract change)', async () => {
    const served = await http.get('/docs-json');
    expect(served.status).toBe(200);
    expect(served.body).toEqual(committed);
  });

  it('keeps console/src/api/schema.ts generated from openapi.json', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'relance-openapi-')), 'api-schema.ts');
    const cli = path.join(ROOT, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');
    const run = await runNode([cli, 'openapi.json', '--output', out, '--default-non-nullable=false']);
    expect(run).toMatchObject({ status: 0 });
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(path.join(ROOT, 'console', 'src', 'api', 'schema.ts'), 'utf8'));
  });

  it('types every 2xx answer, names a summary and security for every operation, and answers errors with Error', () => {
    const problems: string[] = [];
    for (const [method, p, op] of operations()) {
      const where = `${method.toUpperCase()} ${p}`;
      if (!op.summary) problems.push(`${where}: no summary`);
      if (!op.security) problems.push(`${where}: no security`);
      const codes = Object.keys(op.responses);
      if (!codes.some((c) => c.startsWith('2'))) problems.push(`${where}: no 2xx answer`);
      for (const [code, res] of Object.entries(op.responses)) {
        const schema = res.content?.['application/json']?.schema;
        // A page (an email's decision link, an unsubscribe link) or a file (the invoice PDF) answers in its own media
        // type, errors included for pages: typed as a string there, never as untyped JSON.
        const other = Object.entries(res.content ?? {}).filter(([type]) => type !== 'application/json');
        if (!schema && other.length > 0) {
          if (!other.every(([, media]) => media.schema?.type === 'string')) problems.push(`${where} ${code}: ${other.map(([t]) => t).join(', ')} without a string schema`);
          if (code.startsWith('4') && !other.every(([type]) => type === 'text/html')) problems.push(`${where} ${code}: not the Error schema`);
          continue;
        }
        if (code === '204') {
          if (res.content) problems.push(`${where} ${code}: a 204 has no body`);
        } else if (code.startsWith('2') && !(schema?.type || schema?.$ref)) {
          problems.push(`${where} ${code}: no schema with a type or $ref`);
        } else if (code.startsWith('4') && schema?.$ref !== '#/components/schemas/Error') {
          problems.push(`${where} ${code}: not the Error schema`);
        }
      }
      // Anything that takes input (a parameter or a body) can be refused for it.
      const takesInput = (op.parameters ?? []).length > 0 || op.requestBody !== undefined;
      if (method !== 'get' && takesInput && !codes.includes('400')) problems.push(`${where}: no 400`);
      if ((op.security ?? []).length > 0 && !codes.includes('401')) problems.push(`${where}: secured without a 401`);
    }
    expect(problems).toEqual([]);
    expect(operations().length).toBeGreaterThanOrEqual(69);
    expect(committed.servers).not.toEqual([]);
  });

  it('passes redocly lint with no error', async () => {
    const cli = path.join(ROOT, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
    const run = await runNode([cli, 'lint', 'openapi.json', '--format=stylish'],
      { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' });
    expect(run.output).not.toMatch(/\berror\b\s+[a-z-]+/);
    expect(run.status).toBe(0);
  });

  it('answers 405 with Allow and an Error body to a method a known path does not declare', async () => {
    const put = await tenant.admin.request('PUT', `/v1/invoices/${tenant.companyId}`, { number: 'X' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('DELETE, GET, HEAD, PATCH');
    expect(put.body).toMatchObject({ statusCode: 405, error: 'Method Not Allowed', message: expect.stringContaining('PUT') });

    const del = await tenant.admin.delete('/v1/companies/me');
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('GET, HEAD, PATCH');
    // `me` also matches /v1/users/{id}: the methods of both routes count (PATCH is /v1/users/{id}'s).
    expect((await tenant.admin.request('PUT', '/v1/users/me')).headers.get('allow')).toBe('GET, HEAD, PATCH');
    expect((await tenant.admin.request('PATCH', '/v1/nowhere')).status).toBe(404);
  });

  it('refuses a PATCH that changes nothing, with or without a body, and changes nothing', async () => {
    const before = (await tenant.admin.get('/v1/companies/me')).body;
    for (const body of [{}, undefined]) {
      const res = await tenant.admin.patch('/v1/companies/me', body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, message: 'the body must name at least one field to change' });
    }
    expect((await tenant.admin.get('/v1/companies/me')).body).toEqual(before);

    const location = await tenant.admin.post('/v1/locations', { name: 'Montréal' });
    expect((await tenant.admin.patch(`/v1/locations/${location.body.id}`)).status).toBe(400);
    expect((await tenant.admin.get(`/v1/locations/${location.body.id}`)).body).toEqual(location.body);
    expect((await tenant.admin.patch(`/v1/locations/${location.body.id}`, { name: 'Québec' })).body).toMatchObject({ name: 'Québec' });
    expect(committed.components.schemas.UpdateLocationDto.minProperties).toBe(1);
  });
});
