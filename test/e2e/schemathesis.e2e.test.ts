import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { testEnv } from '../support/env';
import { createTenant } from '../support/fixtures';
import { Http } from '../support/http';
import { Stack } from '../support/stack';

/**
 * Schemathesis generates requests from the served document and checks every answer against it (status codes, schemas,
 * headers, 405s, schema-valid input accepted and invalid refused, no 5xx), as an admin of a company of its own.
 * Bounded: a few examples per operation. Its output is kept in the test log directory (schemathesis.log).
 */
describe('schemathesis against /docs-json', () => {
  const stack = new Stack('schemathesis');
  beforeAll(() => stack.start());
  afterAll(() => stack.stop());

  it('finds nothing with every check on', async () => {
    const bin = process.env.SCHEMATHESIS_BIN;
    if (!bin) throw new Error('SCHEMATHESIS_BIN is not set: run the tests with npm test, which installs schemathesis into .tools/');
    const tenant = await createTenant(new Http(stack.baseUrl));
    const apiKey = (await tenant.admin.post(`/v1/users/${tenant.adminId}/api-keys`)).body.apiKey as string;
    const args = [
      '--no-color', 'run', `${stack.baseUrl}/docs-json`, '--checks', 'all', '--max-examples', '5', '--phases', 'examples,coverage,fuzzing',
      '--workers', '2', '--request-timeout', '20', '-H', `Authorization: Bearer ${apiKey}`,
    ];
    const run = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(bin, args, {
        env: { ...process.env, PYTHONPATH: process.env.SCHEMATHESIS_PYTHONPATH ?? '', SCHEMATHESIS_TELEMETRY: 'false' },
        maxBuffer: 64 * 1024 * 1024, timeout: 8 * 60_000,
      }, (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` }));
    });
    writeFileSync(path.join(testEnv().logDir, 'schemathesis.log'), run.output);
    const summary = run.output.split('\n').filter((l) => /failures|passed|failed|errors|Test cases/i.test(l)).slice(-8).join('\n');
    expect({ code: run.code, summary }).toEqual({ code: 0, summary: expect.any(String) });
  }, 10 * 60_000);
});
