import { readFileSync } from 'node:fs';
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import { TEMPLATE_KEYS } from '../../src/domain/templates';
import { closeDb } from '../support/db';
import { Http } from '../support/http';
import { Stack } from '../support/stack';

const PHONE = { width: 375, height: 812 };
const DESKTOP = { width: 1280, height: 800 };
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * The console's Workflows screens in a real browser (Chromium, driven by puppeteer-core) on the real API: an admin
 * builds "Payment due in three days" from a template and switches it on, and an approval workflow with an approver;
 * the `#` variable picker, the 400's fields shown beside their control, no serious axe violation on a phone or a desktop.
 */
describe('the console: workflows', () => {
  const stack = new Stack('console-workflows');
  let http: Http;
  let browser: Browser;
  let tab: Page;
  let admin: Http;
  let approverName: string;
  let adminId: string;

  beforeAll(async () => {
    await stack.start();
    http = new Http(stack.baseUrl);
    const tag = Math.random().toString(36).slice(2, 10);
    const created = await http.post('/v1/companies', {
      company: { name: `Console ${tag}`, locale: 'en-US', timezone: 'America/Toronto', currency: 'CAD', plan: 'advanced' },
      admin: { name: 'Ada Admin', email: `ada-${tag}@acme.test` },
    });
    expect(created.status).toBe(201);
    admin = http.as(created.body.apiKey);
    adminId = created.body.user.id;
    approverName = `Olivia Approver ${tag}`;
    expect((await admin.post('/v1/users', { name: approverName, email: `olivia-${tag}@acme.test`, role: 'standard' })).status).toBe(201);

    const executablePath = process.env.CHROMIUM_PATH;
    if (!executablePath) throw new Error('CHROMIUM_PATH is not set: run the tests with `npm test`, which provisions Chromium');
    browser = await puppeteer.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    tab = await browser.newPage();
    // The console signs in with a session; an API key on every request stands for it here.
    await tab.setExtraHTTPHeaders({ Authorization: `Bearer ${created.body.apiKey}` });
  });
  afterAll(async () => {
    await browser?.close();
    await closeDb();
    await stack.stop();
  });

  const open = async (path: string) => {
    await tab.goto(`${stack.baseUrl}/app${path}`);
    await tab.waitForSelector('h1');
  };
  const byRole = (role: string, name: string, within: Page | ElementHandle = tab) => within.waitForSelector(`::-p-aria([name="${name}"][role="${role}"])`, { timeout: 10_000 });
  /**
   * Clicks a control once the preview has answered, finding it again if it was re-rendered under the click: the
   * editor re-renders while its preview loads ("Node is either not clickable or not an Element", once under load).
   */
  const press = async (role: string, name: string, within: Page | ElementHandle = tab): Promise<void> => {
    // The preview's answer grows the page above the buttons: a click aimed before it lands may hit what moved there.
    await tab.waitForFunction('!document.querySelector("main")?.innerText.includes("Loading…")', { timeout: 15_000 });
    for (let attempt = 1; ; attempt++) {
      try {
        await (await byRole(role, name, within))!.click();
        return;
      } catch (err) {
        if (attempt === 3 || !/not clickable|detached/i.test(String(err))) throw err;
      }
    }
  };
  const fill = async (role: string, name: string, text: string) => {
    const control = (await byRole(role, name))!;
    await control.click({ count: 3 });
    await control.press('Backspace');
    await control.type(text);
  };

  /** Serious and critical axe violations, and whether the page scrolls sideways, at the viewport given. */
  async function audit(viewport: { width: number; height: number }): Promise<{ violations: string[]; sideways: boolean }> {
    await tab.setViewport(viewport);
    if (!(await tab.evaluate('typeof axe !== "undefined"'))) await tab.evaluate(AXE);
    const result = await tab.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`) as string[];
    const sideways = await tab.evaluate('document.documentElement.scrollWidth > window.innerWidth') as boolean;
    return { violations: result, sideways };
  }

  async function expectAccessible(): Promise<void> {
    for (const viewport of [PHONE, DESKTOP]) expect(await audit(viewport)).toEqual({ violations: [], sideways: false });
  }

  it('creates "Payment due in three days" from the Payment due reminder template, saves and activates it, and shows it ON', async () => {
    await tab.setViewport(PHONE);
    await open('/workflows');
    await byRole('heading', 'For customers');
    await byRole('heading', 'For the team');
    await expectAccessible();
    const template = (await byRole('article', 'Payment due reminder'))!;
    await (await byRole('link', 'Use this template', template))!.click();

    await byRole('heading', 'Conditions');
    await fill('textbox', 'Name', 'Payment due in three days');
    // The template's defaults: balance > 0, due within 3 days, an email to the customer.
    expect(await (await byRole('combobox', 'Field 1'))!.evaluate((e) => (e as unknown as { value: string }).value)).toBe('balance');
    expect(await (await byRole('textbox', 'Value 1'))!.evaluate((e) => (e as unknown as { value: string }).value)).toBe('0.00');
    expect(await (await byRole('combobox', 'Operator 2'))!.evaluate((e) => (e as unknown as { value: string }).value)).toBe('within_days');
    expect(await (await byRole('spinbutton', 'Value 2'))!.evaluate((e) => (e as unknown as { value: string }).value)).toBe('3');
    expect(await (await byRole('checkbox', 'Email to the customer'))!.evaluate((e) => (e as unknown as { checked: boolean }).checked)).toBe(true);
    await (await byRole('checkbox', 'Task'))!.click();
    await byRole('combobox', 'Task title');
    // Activation needs someone to do the task.
    await (await byRole('combobox', 'Assignee'))!.select(adminId);
    await expectAccessible();

    await press('button', 'Save and activate');
    await tab.waitForFunction('location.pathname === "/app/workflows/mine"');
    const toggle = (await byRole('switch', 'Payment due in three days'))!;
    expect(await toggle.evaluate((e) => [e.getAttribute('aria-checked'), (e as unknown as { innerText: string }).innerText])).toEqual(['true', 'ON']);
    await byRole('button', 'Actions ⋮ Payment due in three days');
    await expectAccessible();

    // A new company has its default reminder of this template too.
    const saved = (await admin.get('/v1/workflows?templateKey=payment-due-reminder')).body.data.filter((d: { createdBy: string | null }) => d.createdBy === adminId);
    expect(saved).toEqual([expect.objectContaining({
      name: 'Payment due in three days', status: 'active',
      conditions: [{ field: 'balance', op: 'gt', value: '0.00' }, { field: 'dueDate', op: 'within_days', value: 3 }],
      actions: [expect.objectContaining({ type: 'email', to: 'customer' }), expect.objectContaining({ type: 'task', assigneeId: adminId })],
    })]);
  });

  it('inserts a variable with # and Enter, and shows the API\'s 400 beside the field it names', async () => {
    await tab.setViewport(DESKTOP);
    await open('/workflows/new/payment-due-reminder');
    const subject = (await byRole('combobox', 'Subject'))!;
    await subject.click({ count: 3 });
    await subject.press('Backspace');
    await subject.type('Invoice #invoiceN');
    await byRole('listbox', 'Variables');
    await byRole('option', 'invoiceNumber Invoice number');
    await subject.press('Enter');
    expect(await subject.evaluate((e) => (e as unknown as { value: string }).value)).toBe('Invoice {{invoiceNumber}}');
    // The preview renders the draft as it is edited (sample values when no invoice matches).
    await tab.waitForFunction('document.querySelector(".preview")?.innerText.includes("Invoice INV-1042")', { timeout: 10_000 });
    await subject.type(' due #bal');
    await subject.press('Escape');
    expect(await tab.$('::-p-aria([role="listbox"])')).toBeNull();

    await fill('textbox', 'Name', ' ');
    await press('button', 'Save');
    const name = (await byRole('textbox', 'Name'))!;
    await tab.waitForFunction('document.querySelector(".field.invalid .error")?.textContent === "name must not be empty"');
    expect(await name.evaluate((e) => e.getAttribute('aria-invalid'))).toBe('true');
    expect(tab.url()).toContain('/workflows/new/payment-due-reminder');
  });

  it('runs a workflow now from its Actions menu, shows the run in Run history and its page, and deletes it after a confirmation', async () => {
    await tab.setViewport(PHONE);
    await open('/workflows/mine');
    await (await byRole('button', 'Actions ⋮ Payment due in three days'))!.click();
    await (await byRole('menuitem', 'Run now'))!.click();
    await tab.waitForFunction('document.querySelector("[role=status]")?.innerText.includes("Payment due in three days started.")');
    await (await byRole('link', 'See it in Run history'))!.click();
    await tab.waitForSelector('::-p-aria([name="Runs"][role="region"])', { timeout: 30_000 });
    await expectAccessible();
    await (await tab.waitForSelector('a[href^="/app/workflows/runs/"]'))!.click();
    await byRole('heading', 'Run of Payment due in three days');
    await byRole('heading', 'Deliveries');
    await expectAccessible();

    await open('/workflows/mine');
    await (await byRole('button', 'Actions ⋮ Payment due in three days'))!.click();
    await (await byRole('menuitem', 'Delete'))!.click();
    const dialog = (await byRole('dialog', 'Delete Payment due in three days?'))!;
    expect(await tab.evaluate('document.activeElement.innerText')).toBe('Cancel');
    await expectAccessible();
    await (await byRole('button', 'Delete', dialog))!.click();
    await tab.waitForFunction('!document.querySelector("dialog")');
    await tab.waitForFunction('document.querySelector("[role=status]")?.innerText.includes("Payment due in three days was deleted.")');
    expect(await tab.$('::-p-aria([name="Payment due in three days"][role="switch"])')).toBeNull();
  });

  it('creates an invoice approval workflow with an approver', async () => {
    await tab.setViewport(PHONE);
    await open('/workflows/templates');
    await (await byRole('link', 'Use this template', (await byRole('article', 'Approve large invoices'))!))!.click();
    const step = (await byRole('group', 'Step 1'))!;
    await (await byRole('checkbox', approverName, step))!.click();
    await expectAccessible();
    await press('button', 'Save');
    await tab.waitForFunction('location.pathname === "/app/workflows/mine"');
    const toggle = (await byRole('switch', 'Approve large invoices'))!;
    expect(await toggle.evaluate((e) => e.getAttribute('aria-checked'))).toBe('false');
    const saved = (await admin.get('/v1/workflows?templateKey=invoice-approval')).body.data;
    expect(saved).toEqual([expect.objectContaining({ status: 'draft', actions: [expect.objectContaining({ type: 'approval', steps: [expect.objectContaining({ approverIds: [expect.any(String)] })] })] })]);
  });

  it('shows names and texts others wrote as text, never as markup (a definition named like an HTML payload runs nothing)', async () => {
    const payload = '<img src=x onerror="window.__pwned=1">';
    const created = await admin.post('/v1/workflows', {
      templateKey: 'payment-due-reminder', name: payload, actions: [{ type: 'email', to: 'customer', subject: `${payload} {{invoiceNumber}}`, body: payload }],
    });
    expect(created.status).toBe(201);
    await tab.setViewport(DESKTOP);
    await open('/workflows/mine');
    await byRole('switch', payload);
    await open(`/workflows/${created.body.id}/edit`);
    await tab.waitForFunction(`document.querySelector(".preview")?.innerText.includes(${JSON.stringify(`${payload} INV-1042`)})`, { timeout: 10_000 });
    expect(await tab.evaluate('window.__pwned')).toBeUndefined();
    expect(await tab.$('img')).toBeNull();
  });

  it.each(TEMPLATE_KEYS)('opens the editor of %s with its defaults, and saves it as a draft', async (key) => {
    await tab.setViewport(DESKTOP);
    await open(`/workflows/new/${key}`);
    await byRole('heading', 'Conditions');
    await press('button', 'Save');
    await tab.waitForFunction('location.pathname === "/app/workflows/mine"');
    const saved = (await admin.get(`/v1/workflows?templateKey=${key}`)).body.data.filter((d: { createdBy: string | null }) => d.createdBy === adminId);
    expect(saved.length).toBeGreaterThan(0);
  });

  it.each(TEMPLATE_KEYS)('edits a saved %s definition (Actions ⋮ Edit), and what it did not touch comes back unchanged', async (key) => {
    const steps = key === 'collection-sequence'
      ? { steps: [{ offsetDays: -2, subject: 'S {{invoiceNumber}}', body: 'B', task: { assigneeId: adminId, title: 'Call' } }, { offsetDays: 5, subject: 'S2', body: 'B2' }] }
      : {};
    const created = await admin.post('/v1/workflows', { templateKey: key, ...steps });
    expect(created.status).toBe(201);
    await tab.setViewport(DESKTOP);
    await open(`/workflows/${created.body.id}/edit`);
    await byRole('heading', 'Conditions');
    const name = (await byRole('textbox', 'Name'))!;
    await name.click({ count: 3 });
    await name.press('Backspace');
    await name.type(`Edited ${key}`);
    await press('button', 'Save');
    await tab.waitForFunction('location.pathname === "/app/workflows/mine"');
    const after = (await admin.get(`/v1/workflows/${created.body.id}`)).body;
    expect(after.name).toBe(`Edited ${key}`);
    expect({ conditions: after.conditions, actions: after.actions, steps: after.steps })
      .toEqual({ conditions: created.body.conditions, actions: created.body.actions, steps: created.body.steps });
  });
});
