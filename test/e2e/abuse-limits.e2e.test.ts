import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, openSync, readFileSync } from 'node:fs';
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import path from 'node:path';
import { approvalCompany, createLargeInvoice } from '../support/approval';
import { closeDb, sql } from '../support/db';
import { testEnv } from '../support/env';
import { createTenant, createUser } from '../support/fixtures';
import { Http, HttpResult } from '../support/http';
import { waitForMails } from '../support/mail';
import { freePort } from '../support/net';
import { Stack } from '../support/stack';
import { ResponseLinksRepository } from '../../src/db/response-links.repository';
import { addDays, todayIn } from '../../src/domain/dates';
import { createCustomer, createInvoice } from '../support/ledger';

const ROOT = path.resolve(__dirname, '..', '..');
const LINK = /https?:\/\/[^\s]+\/approvals\/([A-Za-z0-9_-]{43})/;
const SIGNUP_TOKEN = `invite-${randomUUID()}-${randomUUID()}`;

/** An address of its own for each test (a benchmarking range: nothing is ever sent there), as a proxy reports it. */
const address = () => `198.18.${randomInt(256)}.${randomInt(1, 255)}`;

/** Calls as if from `ip`, behind the one proxy that TRUST_PROXY_HOPS=1 trusts. */
class From extends Http {
  constructor(baseUrl: string, private readonly ip: string) {
    super(baseUrl);
  }

  override request(method: string, route: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult> {
    return super.request(method, route, body, { 'x-forwarded-for': this.ip, ...headers });
  }
}

function signUp(http: Http, headers: Record<string, string> = {}): Promise<HttpResult> {
  const tag = randomUUID().slice(0, 8);
  return http.post('/v1/companies', {
    company: { name: `Limits ${tag}`, locale: 'en-US', timezone: 'America/Toronto', currency: 'CAD' },
    admin: { name: 'Ada Admin', email: `admin-${tag}@limits.test` },
  }, headers);
}

/** An API process alone (no worker), on the suites' database: a second process of the same deployment, or another setting. */
class ApiProcess {
  baseUrl = '';
  private child?: ChildProcess;

  constructor(private readonly name: string, private readonly env: Record<string, string>) {}

  private get log(): string {
    return path.join(testEnv().logDir, `${this.name}.log`);
  }

  spawn(port: number): ChildProcess {
    const e = testEnv();
    const log = this.log;
    this.child = spawn(process.execPath, ['dist/api/main.js'], {
      cwd: ROOT,
      env: {
        ...process.env, NODE_ENV: 'test', PORT: String(port), DATABASE_URL: e.databaseUrl, TEMPORAL_ADDRESS: e.temporalAddress,
        TEMPORAL_NAMESPACE: e.temporalNamespace, SMTP_URL: e.smtpUrl, ...this.env,
      },
      stdio: ['ignore', 'pipe', openSync(log, 'a')],
    });
    this.child.stdout?.pipe(createWriteStream(log, { flags: 'a' }));
    return this.child;
  }

  async start(): Promise<this> {
    const port = await freePort();
    const child = this.spawn(port);
    this.baseUrl = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`${this.name} exited with code ${child.exitCode}`);
      try {
        if ((await fetch(`${this.baseUrl}/health`)).status === 200) return this;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${this.name} not healthy within 30 s`);
  }

  /** Runs to its exit (a process that refuses its configuration), with what it logged. */
  async exit(): Promise<{ code: number | null; output: string }> {
    const child = this.spawn(await freePort());
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    clearTimeout(timer);
    return { code, output: readFileSync(this.log, 'utf8') };
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
  }
}

async function page(url: string, ip: string, form?: Record<string, string>) {
  const res = await fetch(url, {
    method: form ? 'POST' : 'GET',
    headers: { 'x-forwarded-for': ip, ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    body: form ? new URLSearchParams(form) : undefined,
    redirect: 'manual',
  });
  return { status: res.status, headers: res.headers, html: await res.text() };
}

/** A stored window of a limit ends now, as an hour (or a day) passing would end it. */
async function expire(kind: string, key: string): Promise<void> {
  const rows = await sql(`UPDATE rate_limits SET expire = (extract(epoch FROM now()) * 1000)::bigint - 1 WHERE key = $1 RETURNING key`, [`${kind}:${key}`]);
  expect(rows).toHaveLength(1);
}

function expectTooMany(res: HttpResult, maxSeconds: number): void {
  expect(res.status).toBe(429);
  expect(res.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests', message: expect.any(String) });
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(maxSeconds);
}

/**
 * Sign-ups, delegation changes and wrong decision links are counted in Postgres, so the limits hold for a deployment of
 * several API processes: this stack's API and a second API process on the same database count together.
 */
describe('abuse limits across API processes', () => {
  const limits = {
    TRUST_PROXY_HOPS: '1', RELANCE_SIGNUP_RATE: '3', RELANCE_DELEGATION_RATE: '3', RELANCE_LINK_GUESS_RATE: '3', RELANCE_SIGNIN_RATE: '3', RELANCE_SIGNIN_CLIENT_RATE: '4',
  };
  const stack = new Stack('abuse-limits', limits);
  let second: ApiProcess;

  beforeAll(async () => {
    await stack.start();
    second = await new ApiProcess('abuse-limits-second-api', { ...limits, TEMPORAL_TASK_QUEUE: stack.taskQueue }).start();
  });
  afterAll(async () => {
    await closeDb();
    await second?.stop();
    await stack.stop();
  });

  it('counts the sign-ups of one address on both processes together: the 4th of RELANCE_SIGNUP_RATE=3 is a 429 with Retry-After', async () => {
    const ip = address();
    const a = new From(stack.baseUrl, ip);
    const b = new From(second.baseUrl, ip);
    expect((await signUp(a)).status).toBe(201);
    expect((await signUp(b)).status).toBe(201);
    expect((await signUp(a)).status).toBe(201);
    const refused = await signUp(b);
    expectTooMany(refused, 3600);
    expect(refused.body.message).toMatch(/sign-ups/);
    expectTooMany(await signUp(a), 3600);

    expect((await signUp(new From(second.baseUrl, address()))).status).toBe(201);
    await expire('signup', ip);
    expect((await signUp(b)).status).toBe(201);
  });

  it('open sign-up (the default) takes no token', async () => {
    expect((await signUp(new From(stack.baseUrl, address()))).status).toBe(201);
  });

  it('counts the delegation changes of one user: the 4th of RELANCE_DELEGATION_RATE=3 in a day is a 429; other users are not affected', async () => {
    const tenant = await createTenant(new From(stack.baseUrl, address()));
    const me = await createUser(tenant, 'standard', 'Dana');
    const delegate = await createUser(tenant, 'standard', 'Eli');
    const other = await createUser(tenant, 'standard', 'Fay');
    const from = new Date(Date.now() + 86_400_000).toISOString();
    const until = new Date(Date.now() + 10 * 86_400_000).toISOString();
    const put = (who: Http, delegateId: string, note: string) => who.put('/v1/users/me/delegation', { delegateId, from, until, note });

    expect((await put(me.http, delegate.id, 'one')).status).toBe(200);
    expect((await put(me.http.at(second.baseUrl), delegate.id, 'two')).status).toBe(200);
    expect((await me.http.delete('/v1/users/me/delegation')).status).toBe(204);
    expectTooMany(await put(me.http.at(second.baseUrl), delegate.id, 'four'), 86_400);
    expectTooMany(await me.http.delete('/v1/users/me/delegation'), 86_400);
    expect((await me.http.get('/v1/users/me/delegation')).status).toBe(404);

    expect((await put(other.http, delegate.id, 'theirs')).status).toBe(200);
    await expire('delegation', me.id);
    expect((await put(me.http, delegate.id, 'next day')).status).toBe(200);
  });

  it('never locks out a valid decision link: after an address used up its wrong guesses, its real link still decides; the count is shared', async () => {
    const ip = address();
    const c = await approvalCompany(new From(stack.baseUrl, address()));
    const invoice = await createLargeInvoice(c);
    expect((await c.creator.http.post(`/v1/invoices/${invoice.id}/submit-for-approval`)).status).toBe(200);
    const mails = (await waitForMails(c.approver.email, 1)).filter((m) => m.subject.includes(invoice.number));
    const url = mails[0]?.text.match(LINK)?.[0];
    if (!url) throw new Error(`no decision link in the email to ${c.approver.email}`);

    let refused;
    for (let i = 0; i < 25 && !refused; i += 1) {
      const wrong = await page(`${stack.baseUrl}/approvals/${randomUUID()}`, ip);
      if (wrong.status === 429) refused = wrong;
      else expect(wrong.status).toBe(404);
    }
    expect(refused?.html).toContain('Too many attempts');

    const shown = await page(url, ip);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain('name="decision" value="approve"');
    const decided = await page(url, ip, { decision: 'approve', comment: 'from the office' });
    expect(decided.status).toBe(200);
    expect(decided.html).toContain(`Done: you approved invoice ${invoice.number}`);
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await page(`${second.baseUrl}/approvals/${randomUUID()}`, ip)).status).toBe(429);
    expect((await page(`${second.baseUrl}/approvals/${randomUUID()}`, address())).status).toBe(404);
  });
  it('counts the sign-in links asked for one address on both processes: the 4th of RELANCE_SIGNIN_RATE=3 is a 429, known address or not', async () => {
    const tenant = await createTenant(new From(stack.baseUrl, address()));
    for (const email of [tenant.adminEmail, `nobody-${randomUUID().slice(0, 8)}@limits.test`]) {
      const ask = (http: Http) => http.post('/v1/sign-in-links', { email });
      // From three addresses: the limit is the email address's, whoever asks.
      expect((await ask(new From(stack.baseUrl, address()))).status).toBe(202);
      expect((await ask(new From(second.baseUrl, address()))).status).toBe(202);
      expect((await ask(new From(stack.baseUrl, address()))).status).toBe(202);
      const refused = await ask(new From(second.baseUrl, address()));
      expectTooMany(refused, 3600);
      expect(refused.body.message).toMatch(/sign-in links/);
    }
    expect((await waitForMails(tenant.adminEmail, 3, 20_000, { signIn: true })).length).toBe(3);
  });

  it('counts the sign-in links one client asks for, whatever the addresses: the 5th of RELANCE_SIGNIN_CLIENT_RATE=4 is a 429', async () => {
    const ip = address();
    const ask = (base: string) => new From(base, ip).post('/v1/sign-in-links', { email: `someone-${randomUUID().slice(0, 8)}@limits.test` });
    // Four addresses, one client, both processes: a client cannot mail every known address five times an hour.
    for (const base of [stack.baseUrl, second.baseUrl, stack.baseUrl, second.baseUrl]) expect((await ask(base)).status).toBe(202);
    const refused = await ask(stack.baseUrl);
    expectTooMany(refused, 3600);
    expect(refused.body.message).toMatch(/sign-in links/);
    expect((await new From(stack.baseUrl, address()).post('/v1/sign-in-links', { email: `other-${randomUUID().slice(0, 8)}@limits.test` })).status).toBe(202);
  });

  it('counts unknown sign-in tokens against the link guesses of the address: the 4th of RELANCE_LINK_GUESS_RATE=3 is a 429', async () => {
    const ip = address();
    const guess = (base: string) => new From(base, ip).post('/v1/sessions', { token: randomBytes(32).toString('base64url') });
    expect((await guess(stack.baseUrl)).status).toBe(401);
    expect((await guess(second.baseUrl)).status).toBe(401);
    expect((await guess(stack.baseUrl)).status).toBe(401);
    expectTooMany(await guess(second.baseUrl), 600);
    expect((await new From(stack.baseUrl, address()).post('/v1/sessions', { token: 'A'.repeat(43) })).status).toBe(401);
  });

  it('counts unknown answer links with the other link guesses, on both processes; a valid answer link is always answered', async () => {
    const ip = address();
    const tenant = await createTenant(new From(stack.baseUrl, address()));
    const customer = await createCustomer(tenant.admin);
    const invoice = await createInvoice(tenant.admin, customer.id);
    const token = await new ResponseLinksRepository({ query: (text, params) => sql(text, params) }).mint({
      companyId: tenant.companyId, deliveryKey: 'abuse-limits', invoiceId: invoice.id, customerId: customer.id, now: new Date(),
    });
    const guess = () => randomBytes(32).toString('base64url');
    expect((await page(`${stack.baseUrl}/r/${guess()}`, ip)).status).toBe(404);
    expect((await page(`${second.baseUrl}/r/${guess()}`, ip, { answer: 'already_paid' })).status).toBe(404);
    expect((await page(`${stack.baseUrl}/approvals/${randomUUID()}`, ip)).status).toBe(404);
    const refused = await page(`${second.baseUrl}/r/${guess()}`, ip);
    expect(refused.status).toBe(429);
    expect(refused.html).toContain('Too many attempts');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);

    expect((await page(`${stack.baseUrl}/r/${token}`, ip)).status).toBe(200);
    const answered = await page(`${second.baseUrl}/r/${token}`, ip, { answer: 'promise', payOn: addDays(todayIn(String(tenant.company.timezone), new Date()), 5) });
    expect(answered.status).toBe(200);
    expect((await page(`${stack.baseUrl}/r/${guess()}`, address())).status).toBe(404);
  });

  it('counts wrong invoice PDF links with wrong page links, and never refuses a valid link\'s PDF', async () => {
    const ip = address();
    const c = await approvalCompany(new From(stack.baseUrl, address()));
    const invoice = await createLargeInvoice(c);
    expect((await c.creator.http.post(`/v1/invoices/${invoice.id}/submit-for-approval`)).status).toBe(200);
    const mails = (await waitForMails(c.approver.email, 1)).filter((m) => m.subject.includes(invoice.number));
    const url = mails[0]?.text.match(LINK)?.[0];
    if (!url) throw new Error(`no decision link in the email to ${c.approver.email}`);

    expect((await page(`${stack.baseUrl}/approvals/${randomUUID()}`, ip)).status).toBe(404);
    expect((await page(`${stack.baseUrl}/approvals/${randomUUID()}/pdf`, ip)).status).toBe(404);
    expect((await page(`${second.baseUrl}/approvals/${randomUUID()}/pdf`, ip)).status).toBe(404);
    const refused = await page(`${stack.baseUrl}/approvals/${randomUUID()}/pdf`, ip);
    expect(refused.status).toBe(429);
    expect(refused.html).toContain('Too many attempts');
    expect((await page(`${stack.baseUrl}/approvals/${randomUUID()}`, ip)).status).toBe(429);

    const file = await fetch(`${url}/pdf`, { headers: { 'x-forwarded-for': ip } });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
  });
});

describe('RELANCE_SIGNUP', () => {
  const apis: ApiProcess[] = [];
  const start = async (name: string, env: Record<string, string>) => {
    const api = new ApiProcess(name, { TEMPORAL_TASK_QUEUE: `relance-test-${randomUUID().slice(0, 8)}`, TRUST_PROXY_HOPS: '1', ...env });
    apis.push(api);
    return new From((await api.start()).baseUrl, address());
  };
  afterAll(async () => {
    await Promise.all(apis.map((a) => a.stop()));
  });

  it('token: without X-Signup-Token a 401, with a wrong one a 403, with the right one the company', async () => {
    const http = await start('signup-token-api', { RELANCE_SIGNUP: 'token', RELANCE_SIGNUP_TOKEN: SIGNUP_TOKEN });
    const missing = await signUp(http);
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', message: expect.stringMatching(/X-Signup-Token/) });
    const wrong = await signUp(http, { 'x-signup-token': `${SIGNUP_TOKEN}x` });
    expect(wrong.status).toBe(403);
    expect(wrong.body).toMatchObject({ statusCode: 403, error: 'Forbidden', message: expect.stringMatching(/X-Signup-Token/) });
    expect((await signUp(http, { 'x-signup-token': SIGNUP_TOKEN })).status).toBe(201);
  });

  it('closed: every sign-up is a 403 saying so, even with a token', async () => {
    const http = await start('signup-closed-api', { RELANCE_SIGNUP: 'closed', RELANCE_SIGNUP_TOKEN: SIGNUP_TOKEN });
    for (const headers of [{}, { 'x-signup-token': SIGNUP_TOKEN }] as Record<string, string>[]) {
      const res = await signUp(http, headers);
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ statusCode: 403, error: 'Forbidden', message: expect.stringMatching(/sign-up is closed/) });
    }
  });

  it('token without RELANCE_SIGNUP_TOKEN: the API refuses to start, saying why', async () => {
    const { code, output } = await new ApiProcess('signup-no-token-api', { RELANCE_SIGNUP: 'token', RELANCE_SIGNUP_TOKEN: '' }).exit();
    expect(code).toBe(1);
    expect(output).toMatch(/RELANCE_SIGNUP_TOKEN is not set/);
  });
});
