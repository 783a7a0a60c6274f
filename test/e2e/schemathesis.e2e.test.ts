import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { testEnv } from '../support/env';
import { OwnTemporal } from '../support/own-temporal';
import { createTenant } from '../support/fixtures';
import { Http } from '../support/http';
import { Stack } from '../support/stack';

/**
 * What Schemathesis reports that the document cannot express, each a deliberate 4xx to a request it calls schema-valid:
 * a `cursor` is opaque (only a previous page's nextCursor is one), an `Idempotency-Key` it reuses with another request
 * is the 422 of the idempotency contract, and rules between fields (a due date not before the issue date, recordType
 * with recordId, a condition's value for its field and operator, an action's texts over the template's variables, its
 * users being the company's) are checked by the service. What each template takes (its condition fields, its action
 * types, who an email may go to, steps only on a collection sequence) is stated: each template has its schema.
 */
const ACCEPTED = [
  /cursor is not valid/,
  /Idempotency-Key .* was already used with a different request/,
  /must not be before issueDate/,
  /when recordId is given|when recordType is given/,
  // A refusal of `to: "customer"` on a team template is not one of these: its schema has no such recipient.
  /^(conditions|actions|steps)\[\d+\](?!\.to: "customer")/,
  // Rules the document cannot state: a host that must resolve (this machine has no public DNS), an interval's order, a
  // day after today, an amount not below what the invoice was already paid.
  /does not resolve/,
  /must be after from/,
  /must be after today/,
  /is below the [\d.]+ already paid/,
  /an active definition must stay complete/,
];

/**
 * Rules between a request and the state, for one operation: a PATCH of a definition names no template (a definition
 * keeps its own), so what its body may hold depends on the definition it changes. Creating one states it per template.
 */
const ACCEPTED_FOR: { operation: RegExp; message: RegExp }[] = [
  // A bulk decision's texts follow its decision (a rule between fields, stated in each field's description): an approve
  // takes `comment`, a reject takes `reason` (required).
  { operation: /^POST \/v1\/approvals\/bulk$/, message: /^(reason is only for reject|comment is only for approve|reason must say why)/ },
  { operation: /^PATCH \/v1\/workflows\/\{id\}$/, message: /^steps: only a collection-sequence has steps|^catchUp: only a collection-sequence|^actions\[\d+\]\.to: "customer" is not available for the team template/ },
];

const explained = (operation: string, message: string) =>
  ACCEPTED.some((a) => a.test(message)) || ACCEPTED_FOR.some((a) => a.operation.test(operation) && a.message.test(message));

interface Finding {
  operation: string;
  checks: string[];
  messages: string[];
}

/** The failures section of Schemathesis's output: per operation, the checks that failed and the messages answered. */
function findings(output: string): Finding[] {
  const section = output.split(/^=+ FAILURES =+$/m)[1]?.split(/^=+ (WARNINGS|SUMMARY) =+$/m)[0] ?? '';
  return section.split(/^_{3,} (.+?) _{3,}$/m).slice(1).reduce<Finding[]>((all, part, i, parts) => {
    if (i % 2 === 1) return all;
    const body = parts[i + 1] ?? '';
    const checks = [...body.matchAll(/^- (ST\d+ [^\n]+)$/gm)].map((m) => m[1]);
    const messages = [...body.matchAll(/"message":"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);
    return [...all, { operation: part, checks, messages }];
  }, []);
}

/**
 * Schemathesis generates requests from the served document and checks every answer against it (status codes, schemas,
 * headers, 405s, schema-valid input accepted and invalid refused, no 5xx), as an admin of a company of its own.
 * Bounded: a few examples per operation, from a fixed seed (the same requests on every run, so CI does not flake on a new
 * random draw; SCHEMATHESIS_SEED=<n> explores another). Its output is kept in the test log directory (schemathesis.log).
 */
describe('schemathesis against /docs-json', () => {
  // A Temporal server of its own: the companies it signs up by the hundred each get their default schedules, which would
  // otherwise crowd the shared server's schedule list for the suites that read it.
  const temporal = new OwnTemporal();
  let stack: Stack;
  beforeAll(async () => {
    await temporal.start();
    stack = new Stack('schemathesis', { TEMPORAL_ADDRESS: temporal.address });
    await stack.start();
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await temporal.remove();
  });

  it('finds nothing with every check on', async () => {
    const bin = process.env.SCHEMATHESIS_BIN;
    if (!bin) throw new Error('SCHEMATHESIS_BIN is not set: run the tests with npm test, which installs schemathesis into .tools/');
    const tenant = await createTenant(new Http(stack.baseUrl));
    const apiKey = (await tenant.admin.post(`/v1/users/${tenant.adminId}/api-keys`)).body.apiKey as string;
    const args = [
      '--no-color', 'run', `${stack.baseUrl}/docs-json`, '--checks', 'all', '--max-examples', '5', '--seed', process.env.SCHEMATHESIS_SEED ?? '1', '--phases', 'examples,coverage,fuzzing',
      '--workers', '2', '--request-timeout', '20', '-H', `Authorization: Bearer ${apiKey}`,
    ];
    const run = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(bin, args, {
        env: { ...process.env, PYTHONPATH: process.env.SCHEMATHESIS_PYTHONPATH ?? '', SCHEMATHESIS_TELEMETRY: 'false' },
        maxBuffer: 64 * 1024 * 1024, timeout: 8 * 60_000,
      }, (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` }));
    });
    writeFileSync(path.join(testEnv().logDir, 'schemathesis.log'), run.output);
    expect(run.output).toMatch(/Test cases:/); // it ran to its summary
    // No request went unanswered (a Runtime Error is Schemathesis's own, e.g. Hypothesis failing to describe a strategy).
    expect(run.output).not.toMatch(/^[ \t]*🚫 Network Error/m);
    const unexplained = findings(run.output).filter((f) =>
      f.checks.some((c) => !c.startsWith('ST202')) || f.messages.length === 0 || f.messages.some((m) => !explained(f.operation, m)));
    expect(unexplained).toEqual([]);
  }, 10 * 60_000);
});
