import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { addDays, todayIn } from '../../src/domain/dates';
import { createTenant, type Tenant } from '../support/fixtures';
import { Http } from '../support/http';
import { createCustomer, createInvoice } from '../support/ledger';
import { waitForMails } from '../support/mail';
import { Stack } from '../support/stack';

/**
 * A reminder's unsubscribe link opened in a real browser (the Chromium that `npm test` provisions): the page asks
 * and changes nothing; its button unsubscribes.
 */
describe('unsubscribe link in a browser', () => {
  const stack = new Stack('unsubscribe-browser');
  let tenant: Tenant;
  let browser: Browser;
  let tab: Page;

  beforeAll(async () => {
    await stack.start();
    tenant = await createTenant(new Http(stack.baseUrl));
    const executablePath = process.env.CHROMIUM_PATH;
    if (!executablePath) throw new Error('CHROMIUM_PATH is not set: run the tests with `npm test`, which provisions Chromium');
    browser = await puppeteer.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    tab = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await stack.stop();
  });

  const text = (): Promise<string> => tab.$eval('body', (el) => (el as unknown as { innerText: string }).innerText);

  it('shows the question and a button; only the click unsubscribes', async () => {
    const today = todayIn(String(tenant.company.timezone), new Date());
    const customer = await createCustomer(tenant.admin, { name: 'Clicking Customer' });
    await createInvoice(tenant.admin, customer.id, { amount: '80.00', issueDate: addDays(today, -27), dueDate: addDays(today, 3) });
    const def = await tenant.admin.post('/v1/workflows', {
      templateKey: 'collection-sequence', name: 'Browser', activate: true,
      steps: [{ offsetDays: -3, subject: 'Due soon', body: 'Hello {{customerName}}.' }],
      conditions: [{ field: 'customerId', op: 'in', value: [customer.id] }],
    });
    expect(def.status).toBe(201);
    expect((await tenant.admin.post(`/v1/workflows/${def.body.id}/run-now`)).status).toBe(202);
    const [mail] = await waitForMails(customer.email, 1);
    const link = /(http:\/\/\S+\/unsubscribe\/\S+)/.exec(mail.text)![1];
    const enabled = async () => (await tenant.admin.get(`/v1/customers/${customer.id}`)).body.remindersEnabled;

    const opened = await tab.goto(link);
    expect(opened?.status()).toBe(200);
    expect(await text()).toContain('Clicking Customer');
    expect(await enabled()).toBe(true);

    const [done] = await Promise.all([tab.waitForNavigation(), tab.click('button[type="submit"]')]);
    expect(done?.status()).toBe(200);
    expect(await text()).toContain('Clicking Customer will no longer receive payment reminders');
    expect(await enabled()).toBe(false);
  });
});
