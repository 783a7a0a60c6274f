import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Browser, HTTPResponse, Page } from 'puppeteer-core';
import {
  byRole, DESKTOP, expectAccessible, launchBrowser, newTab, pageText, PHONE, requestSignInLink, RequestRecorder, signInByEmail,
} from '../support/browser';
import { closeDb, sql } from '../support/db';
import { createTenant, createUser, type Tenant } from '../support/fixtures';
import { Http } from '../support/http';
import { freePort } from '../support/net';
import { Stack } from '../support/stack';

const tokenOf = (link: string): string => link.split('/').pop()!;
const hashOf = (token: string): Buffer => createHash('sha256').update(token).digest();

async function sessionsOf(userId: string): Promise<number> {
  const [row] = await sql<{ n: string }>('SELECT count(*) AS n FROM sessions WHERE user_id = $1', [userId]);
  return Number(row.n);
}

async function sessionCookie(page: Page): Promise<string | undefined> {
  return (await page.browserContext().cookies()).find((c) => c.name === 'relance_session')?.value;
}

/** Another site's pages, as an attacker would serve them: set per test with `serve`. */
class OtherSite {
  private server?: Server;
  private pages = new Map<string, string>();
  port = 0;

  async start(): Promise<void> {
    this.port = await freePort();
    this.server = createServer((req, res) => {
      const body = this.pages.get(req.url ?? '');
      res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'text/html; charset=utf-8' }).end(body ?? 'not found');
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  serve(path: string, html: string): void {
    this.pages.set(path, html);
  }

  /** The same server by a name of another site (`localhost`) or of the same site on another port (`127.0.0.1`). */
  url(host: 'localhost' | '127.0.0.1', path: string): string {
    return `http://${host}:${this.port}${path}`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

/**
 * The console's email-link sign-in and session in a real browser against the real stack: the link's page changes
 * nothing until its button is pressed, works once and expires; another site's page cannot act with the session
 * cookie nor frame the console; a deactivated user is shown the sign-in; the console calls only the public API.
 */
describe('console sign-in in a browser', () => {
  const stack = new Stack('console-sign-in');
  const otherSite = new OtherSite();
  let http: Http;
  let browser: Browser;

  beforeAll(async () => {
    await Promise.all([stack.start(), otherSite.start()]);
    http = new Http(stack.baseUrl);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await otherSite.stop();
    await closeDb();
    await stack.stop();
  });

  it('opening the link (GET) signs nobody in; pressing "Sign in" does, once; a used or expired link is refused', async () => {
    const tenant = await createTenant(http);
    const page = await newTab(browser, PHONE);
    const link = await requestSignInLink(page, stack.baseUrl, tenant.adminEmail);
    await expectAccessible(page, 'sign-in (link sent)');

    // What a mail scanner does: fetch the link, even render it.
    expect((await fetch(link)).status).toBe(200);
    await page.goto(link);
    await byRole(page, 'button', 'Sign in');
    await expectAccessible(page, 'sign-in link');
    expect(await sessionCookie(page)).toBeUndefined();
    expect(await sessionsOf(tenant.adminId)).toBe(0);
    const [unused] = await sql<{ used_at: Date | null }>('SELECT used_at FROM sign_in_links WHERE token_hash = $1', [hashOf(tokenOf(link))]);
    expect(unused.used_at).toBeNull();

    await (await byRole(page, 'button', 'Sign in')).click();
    await page.waitForSelector('nav.sections');
    expect(await sessionCookie(page)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await sessionsOf(tenant.adminId)).toBe(1);
    await expectAccessible(page, 'first signed-in screen');

    // The same link again, in another browser: refused, and the page says so.
    const again = await newTab(browser, DESKTOP);
    await again.goto(link);
    await (await byRole(again, 'button', 'Sign in')).click();
    await again.waitForSelector('[role="alert"]');
    expect(await pageText(again)).toContain('This sign-in link is unknown, used or expired.');
    await byRole(again, 'link', 'Ask for a new link');
    expect(await sessionCookie(again)).toBeUndefined();
    expect(await sessionsOf(tenant.adminId)).toBe(1);

    // A fresh link whose 15 minutes are over (its stored expiry moved): refused by the page and by the API.
    const late = await requestSignInLink(again, stack.baseUrl, tenant.adminEmail);
    await sql(`UPDATE sign_in_links SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [hashOf(tokenOf(late))]);
    await again.goto(late);
    await (await byRole(again, 'button', 'Sign in')).click();
    await again.waitForSelector('[role="alert"]');
    expect(await pageText(again)).toContain('This sign-in link is unknown, used or expired.');
    const direct = await http.post('/v1/sessions', { token: tokenOf(late) });
    expect(direct.status).toBe(401);
    expect(direct.body.message).toBe('this sign-in link is unknown, used or expired: ask a new one');
    expect(await sessionsOf(tenant.adminId)).toBe(1);
    await again.browserContext().close();
    await page.browserContext().close();
  });

  describe('another site, while the browser holds a session', () => {
    let tenant: Tenant;
    let victim: { id: string };
    let page: Page;
    const refusals: { url: string; status: number; body: Promise<string> }[] = [];

    beforeAll(async () => {
      tenant = await createTenant(http);
      victim = await createUser(tenant, 'standard', 'Vic');
      page = await newTab(browser, DESKTOP);
      await signInByEmail(page, stack.baseUrl, tenant.adminEmail);
      page.on('response', (response: HTTPResponse) => {
        if (response.url().startsWith(`${stack.baseUrl}/v1/`)) {
          // An opaque (no-cors) answer has no readable body, even here.
          refusals.push({ url: response.url(), status: response.status(), body: response.text().catch(() => '') });
        }
      });
    });
    afterAll(async () => {
      await page.browserContext().close();
    });

    const victimStatus = async () => (await tenant.admin.get(`/v1/users/${victim.id}`)).body.status;

    it.each([
      ['127.0.0.1', 'same site, another origin: the cookie goes, the CSRF token cannot', 403],
      ['localhost', 'another site: the SameSite=Lax cookie stays home', 401],
    ] as const)('a form and a fetch from %s (%s) change nothing, and the API refuses them', async (host, _why, status) => {
      const target = `${stack.baseUrl}/v1/users/${victim.id}/deactivate`;
      // An empty form is a POST with no body: the one a cross-site page can send that passes the JSON-only body check.
      otherSite.serve(`/form-${host}`, `<!doctype html><form method="POST" action="${target}"></form><script>document.forms[0].submit()</script>`);
      otherSite.serve(`/fetch-${host}`, `<!doctype html><p id="done"></p><script>
        fetch(${JSON.stringify(target)}, { method: 'POST', mode: 'no-cors', credentials: 'include' })
          .finally(() => { document.getElementById('done').textContent = 'sent'; });</script>`);
      expect(await victimStatus()).toBe('active');

      refusals.length = 0;
      await Promise.all([page.waitForNavigation(), page.goto(otherSite.url(host, `/form-${host}`))]);
      // Read the form's answer before the tab moves on: once it navigates, the browser may no longer give its body.
      const formAnswer = await refusals.find((r) => r.url === target)?.body;
      await page.goto(otherSite.url(host, `/fetch-${host}`));
      await page.waitForFunction(() => (globalThis as unknown as { document: { getElementById(id: string): { textContent: string } } })
        .document.getElementById('done').textContent === 'sent');
      await new Promise((r) => setTimeout(r, 300)); // the opaque fetch's response event
      const attempts = refusals.filter((r) => r.url === target);
      expect(attempts.map((a) => a.status)).toEqual([status, status]);
      if (status === 403) expect(formAnswer).toContain('send the X-CSRF-Token header of your session');
      expect(await victimStatus()).toBe('active');
      // The session itself still works for the console.
      await page.goto(`${stack.baseUrl}/app/workflows`);
      await page.waitForSelector('nav.sections');
    });
  });

  it('another site cannot frame the console: the frame does not render, and every console page says frame-ancestors none', async () => {
    const page = await newTab(browser, DESKTOP);
    otherSite.serve('/frame', `<!doctype html><h1>Win a prize</h1><iframe id="f" src="${stack.baseUrl}/app/workflows" width="800" height="600"></iframe>`);
    const said: string[] = [];
    page.on('console', (m) => said.push(m.text()));
    await page.goto(otherSite.url('127.0.0.1', '/frame'), { waitUntil: 'load' });
    for (let i = 0; i < 50 && !said.some((t) => t.includes('frame-ancestors')); i++) await new Promise((r) => setTimeout(r, 100));
    expect(said.join('\n')).toContain("frame-ancestors 'none'");
    const frame = page.frames().find((f) => f !== page.mainFrame());
    expect(frame).toBeDefined();
    const rendered = await frame!.evaluate(() => (globalThis as unknown as { document: { querySelector(s: string): unknown } })
      .document.querySelector('#root') !== null).catch(() => false);
    expect(rendered).toBe(false);

    const asset = /\/app\/assets\/[^"]+\.js/.exec(await (await fetch(`${stack.baseUrl}/app`)).text())?.[0];
    expect(asset).toBeDefined();
    for (const path of ['/app', '/app/workflows/mine', '/app/sign-in/whatever', asset!]) {
      const res = await fetch(`${stack.baseUrl}${path}`);
      expect([path, res.status]).toEqual([path, 200]);
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
    await page.browserContext().close();
  });

  it("a deactivated user's session ends: the next console action shows the sign-in", async () => {
    const tenant = await createTenant(http);
    const sam = await createUser(tenant, 'standard', 'Sam');
    const page = await newTab(browser, DESKTOP);
    await signInByEmail(page, stack.baseUrl, sam.email);
    // The landing screen's own requests finish first: deactivating while they are in flight ends the session
    // before the console's next action, and the Tasks link this test clicks is gone.
    await byRole(page, 'link', 'Tasks');
    await page.waitForNetworkIdle({ idleTime: 250 });
    expect((await tenant.admin.post(`/v1/users/${sam.id}/deactivate`, {})).status).toBe(200);

    await (await byRole(page, 'link', 'Tasks')).click();
    await byRole(page, 'textbox', 'Email');
    await byRole(page, 'button', 'Email me a sign-in link');
    const cookies = await page.browserContext().cookies();
    const cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const csrf = cookies.find((c) => c.name === 'relance_csrf')?.value ?? '';
    expect((await http.get('/v1/users/me', { cookie, 'x-csrf-token': csrf })).status).toBe(401);
    await page.browserContext().close();
  });

  it('every console request is a public API call (a walk through every section, then sign-out)', async () => {
    const tenant = await createTenant(http);
    const page = await newTab(browser, DESKTOP);
    const recorder = new RequestRecorder(stack.baseUrl).attach(page);
    await signInByEmail(page, stack.baseUrl, tenant.adminEmail);
    for (const section of ['Workflows', 'Tasks', 'Invoices', 'Settings']) {
      await (await byRole(page, 'link', section)).click();
      await page.waitForSelector(`::-p-aria([name="${section}"][role="heading"])`);
    }
    await (await byRole(page, 'button', 'Sign out')).click();
    await byRole(page, 'button', 'Email me a sign-in link');
    expect(recorder.strays()).toEqual([]);
    expect(recorder.operations()).toEqual(expect.arrayContaining(['POST /v1/sign-in-links', 'POST /v1/sessions', 'GET /v1/users/me', 'DELETE /v1/sessions/current']));
    await page.browserContext().close();
  });
});
