import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { closeDb, sql } from '../support/db';
import { testEnv } from '../support/env';
import { createTenant, createUser, type Tenant } from '../support/fixtures';
import { Http, type HttpResult } from '../support/http';
import { type CaughtMail, mailsTo, waitForMails } from '../support/mail';
import { Stack } from '../support/stack';

const LINK = /\/app\/sign-in\/([A-Za-z0-9_-]{43})/;
const ENDED = 'your session has ended: sign in again';
const CSRF = 'send the X-CSRF-Token header of your session';
const UNKNOWN_LINK = 'this sign-in link is unknown, used or expired: ask a new one';
const SIGN_IN_SUBJECT = 'Your Relance sign-in link';
const sha256 = (token: string) => createHash('sha256').update(token).digest();

/** A signed-in browser: the session cookie it would send, and the CSRF token the console echoes in X-CSRF-Token. */
interface Browser {
  id: string;
  cookie: string;
  csrf: string;
  setCookies: string[];
  body: Record<string, unknown>;
}

/**
 * Email-link sign-in and console sessions through the real API, worker, Postgres and SMTP: a link emailed to every
 * active user of an address signs in once; the session cookie is honoured only with its CSRF token; sessions end when
 * idle, at their absolute limit, at sign-out and when the user is deactivated; tokens never reach a log line.
 */
describe('sign-in links and console sessions', () => {
  const stack = new Stack('sessions');
  let http: Http;
  let tenant: Tenant;
  const tokensSeen: string[] = [];

  beforeAll(async () => {
    await stack.start();
    http = new Http(stack.baseUrl);
    tenant = await createTenant(http);
  });
  afterAll(async () => {
    await closeDb();
    await stack.stop();
  });

  /** The sign-in link emails `email` got (an invitation's is another subject, and may arrive at any time). */
  async function signInMails(email: string, atLeast = 0): Promise<CaughtMail[]> {
    for (let waited = 0; ; waited += 200) {
      const mails = (await mailsTo(email, { signIn: true })).filter((m) => m.subject === SIGN_IN_SUBJECT);
      if (mails.length >= atLeast || waited > 20_000) return mails;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Asks a link for `email` and answers the token of the newest sign-in email it got. */
  async function linkFor(email: string): Promise<string> {
    const before = (await signInMails(email)).length;
    const res = await http.post('/v1/sign-in-links', { email });
    expect({ status: res.status, body: res.body }).toEqual({ status: 202, body: {} });
    const mails = await signInMails(email, before + 1);
    expect(mails.length).toBe(before + 1);
    const token = LINK.exec(mails[mails.length - 1].text)?.[1];
    expect(token).toBeDefined();
    tokensSeen.push(token!);
    return token!;
  }

  function browserOf(res: HttpResult): Browser {
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
    const setCookies = res.headers.getSetCookie();
    const value = (name: string) => setCookies.find((c) => c.startsWith(`${name}=`))?.split(';')[0].slice(name.length + 1) ?? '';
    const cookie = `relance_session=${value('relance_session')}; relance_csrf=${value('relance_csrf')}`;
    tokensSeen.push(value('relance_session'), value('relance_csrf'));
    return { id: res.body.session.id, cookie, csrf: res.body.csrfToken, setCookies, body: res.body };
  }

  async function signIn(email: string, companyId?: string): Promise<Browser> {
    const token = await linkFor(email);
    return browserOf(await http.post('/v1/sessions', { token, ...(companyId ? { companyId } : {}) }));
  }

  const as = (b: Browser, csrf: string | null = b.csrf) => ({ cookie: b.cookie, ...(csrf === null ? {} : { 'x-csrf-token': csrf }) });

  it('answers 202 {} for an unknown address and a known one alike, and mails only the known one', async () => {
    const unknown = `nobody-${randomUUID().slice(0, 8)}@acme.test`;
    const a = await http.post('/v1/sign-in-links', { email: unknown });
    const b = await http.post('/v1/sign-in-links', { email: tenant.adminEmail.toUpperCase() });
    expect({ status: a.status, body: a.body }).toEqual({ status: 202, body: {} });
    expect({ status: b.status, body: b.body }).toEqual({ status: 202, body: a.body });
    const mails = await waitForMails(tenant.adminEmail, 1, 20_000, { signIn: true });
    expect(mails).toHaveLength(1);
    expect(mails[0].text).toMatch(LINK);
    expect(mails[0].text).toContain('15 minutes');
    expect(mails[0].text).toMatch(/\/app\/sign-in(?!\/)/);
    expect(mails[0].html).toMatch(LINK);
    tokensSeen.push(LINK.exec(mails[0].text)![1]);
    expect(await mailsTo(unknown, { signIn: true })).toHaveLength(0);
    expect((await http.post('/v1/sign-in-links', { email: 'not an address' })).status).toBe(400);
  });

  it('signs in once with a link: cookies, a working session, and a second POST of the token is a 401', async () => {
    const token = await linkFor(tenant.adminEmail);
    const browser = browserOf(await http.post('/v1/sessions', { token }));
    expect(browser.body).toMatchObject({
      session: { id: expect.any(String), current: true, createdAt: expect.any(String), lastSeenAt: expect.any(String), expiresAt: expect.any(String) },
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      user: { id: tenant.adminId, companyId: tenant.companyId },
    });
    const session = browser.setCookies.find((c) => c.startsWith('relance_session='))!;
    const csrf = browser.setCookies.find((c) => c.startsWith('relance_csrf='))!;
    expect(session).toMatch(/; Max-Age=43200/);
    expect(session).toMatch(/; Path=\//);
    expect(session).toMatch(/; HttpOnly/);
    expect(session).toMatch(/; SameSite=Lax/);
    expect(session).not.toMatch(/Secure/);
    expect(csrf).toMatch(/; SameSite=Lax/);
    expect(csrf).not.toMatch(/HttpOnly/);
    expect(csrf.split(';')[0]).toBe(`relance_csrf=${browser.csrf}`);

    const me = await http.get('/v1/users/me', as(browser));
    expect({ status: me.status, id: me.body.id }).toEqual({ status: 200, id: tenant.adminId });
    const again = await http.post('/v1/sessions', { token });
    expect({ status: again.status, message: again.body.message }).toEqual({ status: 401, message: UNKNOWN_LINK });
    const stored = await sql<{ n: number }>('SELECT count(*)::int AS n FROM sessions WHERE token_hash = $1 OR csrf_hash = $2',
      [sha256(browser.cookie.split(';')[0].split('=')[1]), sha256(browser.csrf)]);
    expect(stored[0].n).toBe(1);
  });

  it('refuses an expired link, an unknown one and a malformed one with the same 401', async () => {
    const token = await linkFor(tenant.adminEmail);
    await sql("UPDATE sign_in_links SET expires_at = now() - interval '1 second' WHERE token_hash = $1", [sha256(token)]);
    for (const t of [token, 'A'.repeat(43), 'short']) {
      const res = await http.post('/v1/sessions', { token: t });
      expect({ status: res.status, message: res.body.message }).toEqual({ status: 401, message: UNKNOWN_LINK });
    }
  });

  it('two POSTs of one token at once: exactly one session', async () => {
    const token = await linkFor(tenant.adminEmail);
    const answers = await Promise.all([0, 1, 2].map(() => http.post('/v1/sessions', { token })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 401, 401]);
  });

  it('a person of two companies chooses one: the link is kept until then, then signs in to that company', async () => {
    const email = `pat-${randomUUID().slice(0, 8)}@acme.test`;
    const other = await createTenant(http);
    const first = await tenant.admin.post('/v1/users', { name: 'Pat', email, role: 'standard' });
    const second = await other.admin.post('/v1/users', { name: 'Pat', email, role: 'admin' });
    expect([first.status, second.status]).toEqual([201, 201]);
    const token = await linkFor(email);
    const choice = await http.post('/v1/sessions', { token });
    expect(choice.status).toBe(200);
    expect(choice.body.companies.map((c: { id: string }) => c.id).sort()).toEqual([tenant.companyId, other.companyId].sort());
    expect(choice.body.companies.find((c: { id: string }) => c.id === other.companyId).name).toBe(other.company.name);
    const third = await createTenant(http);
    expect((await http.post('/v1/sessions', { token, companyId: third.companyId })).status).toBe(400);
    const browser = browserOf(await http.post('/v1/sessions', { token, companyId: other.companyId }));
    expect(browser.body.user).toMatchObject({ id: second.body.user.id, companyId: other.companyId, role: 'admin' });
    expect((await http.get('/v1/companies/me', as(browser))).body.id).toBe(other.companyId);
    expect((await http.post('/v1/sessions', { token, companyId: tenant.companyId })).status).toBe(401);
  });

  it('refuses the cookie without its X-CSRF-Token (a cross-site form) with 403, and nothing changes', async () => {
    const browser = await signIn(tenant.adminEmail);
    const name = (await tenant.admin.get('/v1/companies/me')).body.name;
    const count = async () => (await sql<{ n: number }>('SELECT count(*)::int AS n FROM workflow_definitions WHERE company_id = $1', [tenant.companyId]))[0].n;
    const before = await count();
    for (const csrf of [null, 'x'.repeat(43), '']) {
      const patch = await http.patch('/v1/companies/me', { name: 'Hijacked' }, as(browser, csrf));
      expect({ status: patch.status, message: patch.body.message }).toEqual({ status: 403, message: CSRF });
      const post = await http.post('/v1/workflows', { templateKey: 'bill-payment-reminder', name: 'Hijacked' }, as(browser, csrf));
      expect({ status: post.status, message: post.body.message }).toEqual({ status: 403, message: CSRF });
      expect((await http.get('/v1/users/me', as(browser, csrf))).status).toBe(403);
    }
    expect((await tenant.admin.get('/v1/companies/me')).body.name).toBe(name);
    expect(await count()).toBe(before);
    // With its token the same session may change things; a Bearer header wins over a cookie.
    expect((await http.patch('/v1/companies/me', { name }, as(browser))).status).toBe(200);
    const sam = await createUser(tenant, 'standard');
    expect((await sam.http.get('/v1/users/me', as(browser, null))).body.id).toBe(sam.id);
  });

  it('ends a session idle for 31 minutes, and one signed in 12 hours ago however active', async () => {
    const idle = await signIn(tenant.adminEmail);
    const old = await signIn(tenant.adminEmail);
    expect((await http.get('/v1/users/me', as(idle))).status).toBe(200);
    await sql("UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE id = $1", [idle.id]);
    await sql("UPDATE sessions SET created_at = now() - interval '12 hours 1 minute', last_seen_at = now() WHERE id = $1", [old.id]);
    for (const b of [idle, old]) {
      const res = await http.get('/v1/users/me', as(b));
      expect({ status: res.status, message: res.body.message }).toEqual({ status: 401, message: ENDED });
    }
    // 29 minutes idle is still a session, and the request moves last_seen_at.
    const fresh = await signIn(tenant.adminEmail);
    await sql("UPDATE sessions SET last_seen_at = now() - interval '29 minutes' WHERE id = $1", [fresh.id]);
    expect((await http.get('/v1/users/me', as(fresh))).status).toBe(200);
    const [row] = await sql<{ idle: number }>('SELECT extract(epoch FROM now() - last_seen_at)::int AS idle FROM sessions WHERE id = $1', [fresh.id]);
    expect(row.idle).toBeLessThan(60);
  });

  it('ends a deactivated user\'s sessions at once', async () => {
    const sam = await createUser(tenant, 'standard');
    const browser = await signIn(sam.email);
    expect((await http.get('/v1/users/me', as(browser))).status).toBe(200);
    expect((await tenant.admin.post(`/v1/users/${sam.id}/deactivate`, {})).status).toBe(200);
    const res = await http.get('/v1/users/me', as(browser));
    expect({ status: res.status, message: res.body.message }).toEqual({ status: 401, message: ENDED });
    const [row] = await sql<{ end_reason: string }>('SELECT end_reason FROM sessions WHERE id = $1', [browser.id]);
    expect(row.end_reason).toBe('user_deactivated');
    // A link asked while deactivated signs nobody in.
    expect((await http.post('/v1/sign-in-links', { email: sam.email })).status).toBe(202);
  });

  it('lists the caller\'s sessions, ends one of them, signs out; another user\'s session is a 404', async () => {
    const sam = await createUser(tenant, 'standard');
    const a = await signIn(sam.email);
    const b = await signIn(sam.email);
    const list = await http.get('/v1/sessions', { ...as(a), 'user-agent': 'Console test' });
    expect(list.status).toBe(200);
    expect(list.body.items.map((s: { id: string; current: boolean }) => [s.id, s.current]).sort()).toEqual([[a.id, true], [b.id, false]].sort());
    const byKey = await sam.http.get('/v1/sessions');
    expect(byKey.body.items.every((s: { current: boolean }) => !s.current)).toBe(true);
    expect(byKey.body.items).toHaveLength(2);
    const adminSession = await signIn(tenant.adminEmail);
    expect((await http.delete(`/v1/sessions/${adminSession.id}`, as(a))).status).toBe(404);
    expect((await http.get('/v1/users/me', as(adminSession))).status).toBe(200);

    expect((await http.delete(`/v1/sessions/${b.id}`, as(a))).status).toBe(204);
    expect((await http.get('/v1/users/me', as(b))).status).toBe(401);
    expect((await sam.http.delete('/v1/sessions/current')).status).toBe(401);
    const out = await http.delete('/v1/sessions/current', as(a));
    expect(out.status).toBe(204);
    const cleared = out.headers.getSetCookie();
    expect(cleared.find((c) => c.startsWith('relance_session='))).toMatch(/Max-Age=0/);
    expect(cleared.find((c) => c.startsWith('relance_csrf='))).toMatch(/Max-Age=0/);
    expect((await http.get('/v1/users/me', as(a))).status).toBe(401);
    expect((await sam.http.get('/v1/sessions')).body.items).toHaveLength(0);

    const events = (await tenant.admin.get(`/v1/audit-events?actorId=${sam.id}&type=session.started,session.ended`)).body.data as
      { type: string; targetId: string; data: Record<string, unknown> }[];
    expect(events.map((e) => [e.type, e.targetId, e.data.reason ?? null]).sort()).toEqual([
      ['session.ended', a.id, 'signed_out'], ['session.ended', b.id, 'ended_by_user'], ['session.started', a.id, null], ['session.started', b.id, null],
    ].sort());
  });

  it('invites a user: POST /v1/users answers the user alone and emails a 7-day link that signs them in', async () => {
    const email = `new-${randomUUID().slice(0, 8)}@acme.test`;
    const res = await tenant.admin.post('/v1/users', { name: 'Nina New', email, role: 'standard' });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body)).toEqual(['user']);
    const [mail] = await waitForMails(email, 1, 20_000, { signIn: true });
    expect(mail.text).toContain('Ada Admin');
    expect(mail.text).toContain(String(tenant.company.name));
    const token = LINK.exec(mail.text)![1];
    tokensSeen.push(token);
    const [link] = await sql<{ days: number }>('SELECT round(extract(epoch FROM expires_at - created_at) / 86400)::int AS days FROM sign_in_links WHERE token_hash = $1', [sha256(token)]);
    expect(link.days).toBe(7);
    const browser = browserOf(await http.post('/v1/sessions', { token }));
    expect(browser.body.user).toMatchObject({ id: res.body.user.id, email });
    const key = await tenant.admin.post(`/v1/users/${res.body.user.id}/api-keys`);
    expect(key.status).toBe(201);
  });

  it('writes no link, session or CSRF token to a log line', async () => {
    const token = await linkFor(tenant.adminEmail);
    tokensSeen.push(token);
    // The console's page: opening it signs nobody in, and its path must not reach a log line either.
    expect((await http.get(`/app/sign-in/${token}`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    const logs = ['sessions-api.log', 'sessions-worker-1.log'].map((f) => readFileSync(path.join(testEnv().logDir, f), 'utf8')).join('\n');
    expect(tokensSeen.length).toBeGreaterThan(10);
    for (const secret of tokensSeen.filter(Boolean)) expect(logs).not.toContain(secret);
  });
});
