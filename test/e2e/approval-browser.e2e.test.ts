import { mkdirSync } from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { approvalCompany, createLargeInvoice } from '../support/approval';
import { closeDb } from '../support/db';
import { testEnv } from '../support/env';
import { Http } from '../support/http';
import { waitForMails } from '../support/mail';
import { Stack } from '../support/stack';

const LINK = /https?:\/\/[^\s]+\/approvals\/[A-Za-z0-9_-]{43}/;

async function decisionLink(email: string, number: string): Promise<string> {
  const mails = (await waitForMails(email, 1)).filter((m) => m.subject.includes(number));
  const match = mails[mails.length - 1]?.text.match(LINK);
  if (!match) throw new Error(`no decision link in the emails to ${email} about ${number}`);
  return match[0];
}

/**
 * The link of an approval email opened in a real browser (Debian's Chromium, which `npm test` provisions, driven by
 * puppeteer-core), through the real API, worker, Temporal, Postgres and SMTP listener.
 */
describe('approval email link in a browser', () => {
  const stack = new Stack('approval-browser');
  let http: Http;
  let browser: Browser;
  let tab: Page;

  beforeAll(async () => {
    await stack.start();
    http = new Http(stack.baseUrl);
    const executablePath = process.env.CHROMIUM_PATH;
    if (!executablePath) throw new Error('CHROMIUM_PATH is not set: run the tests with `npm test`, which provisions Chromium');
    browser = await puppeteer.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    tab = await browser.newPage();
    await tab.setViewport({ width: 390, height: 844, isMobile: true });
  });
  afterAll(async () => {
    await browser?.close();
    await closeDb();
    await stack.stop();
  });

  // Run in the page; the tests compile without the DOM's types.
  const text = (): Promise<string> => tab.$eval('body', (el) => (el as unknown as { innerText: string }).innerText);

  it('shows the invoice, refuses a reject without reason, approves, then says already approved; a tampered link is a 404 page', async () => {
    const c = await approvalCompany(http);
    const invoice = await createLargeInvoice(c);
    expect((await c.creator.http.post(`/v1/invoices/${invoice.id}/submit-for-approval`)).status).toBe(200);
    const url = await decisionLink(c.approver.email, invoice.number);

    const opened = await tab.goto(url);
    expect(opened?.status()).toBe(200);
    const shown = await text();
    expect(shown).toContain(`Invoice ${invoice.number}`);
    expect(shown).toContain(c.customer.name);
    expect(shown).toContain('CA$1,250.00');
    expect(shown).toContain('1 of 1');
    expect(shown).toContain((await c.tenant.admin.get('/v1/companies/me')).body.name);
    expect(shown).toMatch(/Submitted by\s+Cora/);
    expect(shown).toContain(`You decide as Avery (${c.approver.email}).`);
    const pdfHref = await tab.$eval('a[href$="/pdf"]', (el) => (el as unknown as { href: string }).href);
    expect(pdfHref).toBe(`${url}/pdf`);
    const logDir = testEnv().logDir;
    mkdirSync(logDir, { recursive: true });
    await tab.screenshot({ path: path.join(logDir, 'approval-email-page.png'), fullPage: true });

    // An empty reason: the browser keeps the form (required field); blanks: the server answers the page with a 400.
    await tab.click('button.reject');
    expect(await tab.$eval('#reason', (el) => (el as unknown as { validity: { valueMissing: boolean } }).validity.valueMissing)).toBe(true);
    expect(tab.url()).toBe(url);
    await tab.type('#reason', '   ');
    const [blank] = await Promise.all([tab.waitForNavigation(), tab.click('button.reject')]);
    expect(blank?.status()).toBe(400);
    expect(await text()).toContain('A rejection needs a reason');
    expect((await c.creator.http.get(`/v1/invoices/${invoice.id}`)).body.approvalStatus).toBe('pending_approval');

    await tab.type('#comment', 'Matches the purchase order');
    const [done] = await Promise.all([tab.waitForNavigation(), tab.click('button.approve')]);
    expect(done?.status()).toBe(200);
    expect(await text()).toContain(`Done: you approved invoice ${invoice.number}`);
    expect((await c.creator.http.get(`/v1/invoices/${invoice.id}`)).body.approvalStatus).toBe('approved');
    const view = (await c.creator.http.get(`/v1/invoices/${invoice.id}/approval`)).body;
    expect(view.decisions).toEqual([expect.objectContaining({ decision: 'approved', via: 'email', comment: 'Matches the purchase order' })]);

    const again = await tab.goto(url);
    expect(again?.status()).toBe(410);
    expect(await text()).toMatch(new RegExp(`Invoice ${invoice.number} was already approved by Avery on`));
    expect(await tab.$('button.approve')).toBeNull();

    const token = url.split('/').pop()!;
    const tampered = await tab.goto(url.replace(token, `${token.slice(0, 10)}${token[10] === 'x' ? 'y' : 'x'}${token.slice(11)}`));
    expect(tampered?.status()).toBe(404);
    expect(await text()).toContain('This link is not valid');
  });

  it('a link of step 1 after step 1 was decided is a 410 page', async () => {
    const c = await approvalCompany(http, (ids) => ({ type: 'approval', steps: [{ approverIds: [ids.approver] }, { approverIds: [ids.outsider] }] }));
    const invoice = await createLargeInvoice(c);
    expect((await c.creator.http.post(`/v1/invoices/${invoice.id}/submit-for-approval`)).status).toBe(200);
    const url = await decisionLink(c.approver.email, invoice.number);
    expect((await c.approver.http.post(`/v1/invoices/${invoice.id}/approve`, {})).status).toBe(200);

    const opened = await tab.goto(url);
    expect(opened?.status()).toBe(410);
    expect(await text()).toMatch(new RegExp(`Step 1 of invoice ${invoice.number} was already approved by Avery on`));
    await tab.screenshot({ path: path.join(testEnv().logDir, 'approval-email-page-superseded.png'), fullPage: true });
  });
});
