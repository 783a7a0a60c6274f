import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { approvalCompany, createLargeInvoice, tasksOf, type ApprovalCompany } from '../support/approval';
import { closeDb } from '../support/db';
import { Http } from '../support/http';
import { createInvoice } from '../support/ledger';
import { Stack } from '../support/stack';
import { until } from '../support/until';

/**
 * The console's Tasks, Invoices and Settings screens in a real browser on the real stack: the parts the walk does
 * not show (a refusal in place, the filter in the URL, the cursor, the tabs a standard user sees). The screens are
 * opened with the user's API key as a header, which the API takes from any client; signing in is tested on its own.
 */
describe('console screens', () => {
  const stack = new Stack('console-screens');
  let http: Http;
  let browser: Browser;

  beforeAll(async () => {
    await stack.start();
    http = new Http(stack.baseUrl);
    const executablePath = process.env.CHROMIUM_PATH;
    if (!executablePath) throw new Error('CHROMIUM_PATH is not set: run the tests with `npm test`, which provisions Chromium');
    browser = await puppeteer.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  });
  afterAll(async () => {
    await browser?.close();
    await closeDb();
    await stack.stop();
  });

  async function keyOf(c: ApprovalCompany, userId: string): Promise<string> {
    const issued = await c.tenant.admin.post(`/v1/users/${userId}/api-keys`);
    expect(issued.status).toBe(201);
    return issued.body.apiKey;
  }

  async function consoleAs(apiKey: string, path: string): Promise<Page> {
    const page = await browser.newPage();
    await page.setViewport({ width: 375, height: 812, isMobile: true, hasTouch: true });
    await page.setExtraHTTPHeaders({ authorization: `Bearer ${apiKey}` });
    await page.goto(`${stack.baseUrl}/app${path}`, { waitUntil: 'networkidle0' });
    return page;
  }

  // Run in the page; the tests compile without the DOM's types.
  const texts = (page: Page, selector: string): Promise<string[]> =>
    page.$$eval(selector, (els) => els.map((el) => (el as unknown as { textContent: string }).textContent.trim()));
  const settle = async (page: Page) => {
    await page.waitForNetworkIdle({ idleTime: 200 });
  };

  it('Tasks: an approval approved in place leaves Mine for Done; one decided meanwhile shows the API refusal in an alert', async () => {
    const c = await approvalCompany(http);
    const first = await createLargeInvoice(c);
    const second = await createLargeInvoice(c);
    for (const invoice of [first, second]) {
      expect((await c.creator.http.post(`/v1/invoices/${invoice.id}/submit-for-approval`)).status).toBe(200);
      // The approval's workflow opens the task a moment after the submit answers.
      await until(() => tasksOf(c.approver, 'open', invoice.id), (tasks) => tasks.length === 1, `the approval task of ${invoice.number}`);
    }
    const page = await consoleAs(await keyOf(c, c.approver.id), '/tasks');
    await page.waitForSelector('article h2');
    expect(new URL(page.url()).pathname).toBe('/app/tasks/mine');
    expect(await texts(page, 'article h2')).toEqual(expect.arrayContaining([expect.stringContaining(first.number), expect.stringContaining(second.number)]));

    const card = (number: string) => page.$(`::-p-xpath(//article[h2[contains(., "${number}")]])`);
    await (await (await card(first.number))!.$('::-p-aria(Approve)'))!.click();
    await page.waitForFunction(`[...document.querySelectorAll('[role=status]')].some((el) => el.textContent.includes(${JSON.stringify(first.number)}))`);
    expect(await texts(page, 'article h2')).not.toEqual(expect.arrayContaining([expect.stringContaining(first.number)]));
    expect((await c.approver.http.get(`/v1/invoices/${first.id}/approval`)).body.status).toBe('approved');

    expect((await c.approver.http.post(`/v1/invoices/${second.id}/approve`, {})).status).toBe(200);
    await (await (await card(second.number))!.$('::-p-aria(Approve)'))!.click();
    const alert = await page.waitForSelector('article [role=alert]');
    expect(await alert!.evaluate((el) => (el as unknown as { textContent: string }).textContent)).toContain('is not pending approval');

    await page.locator('::-p-aria(Done)').click();
    await page.waitForFunction("location.pathname === '/app/tasks/done'");
    await settle(page);
    expect(await texts(page, 'article h2')).toEqual(expect.arrayContaining([expect.stringContaining(first.number)]));
    await page.close();
  });

  it('Invoices: the approval status filter is in the URL and survives a reload; Next follows the API cursor', async () => {
    const c = await approvalCompany(http);
    const pending = await createLargeInvoice(c);
    expect((await c.creator.http.post(`/v1/invoices/${pending.id}/submit-for-approval`)).status).toBe(200);
    await Promise.all(Array.from({ length: 51 }, () => createInvoice(c.tenant.admin, c.customer.id, { amount: '10.00' })));
    const page = await consoleAs(await keyOf(c, c.tenant.adminId), '/invoices');
    await page.waitForSelector('tbody tr');
    expect(await texts(page, 'tbody tr')).toHaveLength(50);

    await page.locator('::-p-aria(Pending approval)').click();
    await page.locator('::-p-aria(Apply)').click();
    await page.waitForFunction("location.search.includes('approvalStatus')");
    await settle(page);
    expect(new URL(page.url()).searchParams.get('approvalStatus')).toBe('pending_approval');
    expect(await texts(page, 'tbody th')).toEqual([pending.number]);
    expect(await texts(page, 'tbody td')).toContain(c.customer.name);

    await page.reload({ waitUntil: 'networkidle0' });
    expect(await texts(page, 'tbody th')).toEqual([pending.number]);
    expect(await page.$eval('::-p-aria([name="Pending approval"][role="checkbox"])', (el) => (el as unknown as { checked: boolean }).checked)).toBe(true);

    await page.goto(`${stack.baseUrl}/app/invoices`, { waitUntil: 'networkidle0' });
    const firstPage = await texts(page, 'tbody th');
    await page.locator('::-p-aria(Next)').click();
    await page.waitForFunction("location.search.includes('cursor=')");
    await settle(page);
    const secondPage = await texts(page, 'tbody th');
    expect(secondPage.length).toBeGreaterThanOrEqual(2);
    expect(secondPage.filter((n) => firstPage.includes(n))).toEqual([]);
    await page.close();
  });

  it('Settings: a standard user sees only Out of office and Sessions, an admin every tab', async () => {
    const c = await approvalCompany(http);
    const standard = await consoleAs(await keyOf(c, c.creator.id), '/settings');
    await standard.waitForSelector('.tabs a');
    expect(await texts(standard, '.tabs a')).toEqual(['Out of office', 'Sessions']);
    expect(new URL(standard.url()).pathname).toBe('/app/settings/out-of-office');
    await standard.goto(`${stack.baseUrl}/app/settings/webhooks`, { waitUntil: 'networkidle0' });
    expect(new URL(standard.url()).pathname).toBe('/app/settings/out-of-office');
    await standard.close();

    const admin = await consoleAs(await keyOf(c, c.tenant.adminId), '/settings');
    await admin.waitForSelector('.tabs a');
    expect(await texts(admin, '.tabs a')).toEqual(['Users', 'Out of office', 'Send window', 'Webhooks', 'Sessions']);
    await admin.close();
  });
});
