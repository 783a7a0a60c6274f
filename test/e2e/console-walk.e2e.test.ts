/* eslint-disable @typescript-eslint/no-explicit-any */
import type { Browser, ElementHandle, Page } from 'puppeteer-core';
import {
  byRole, DESKTOP, expectAccessible, launchBrowser, newTab, pageText, PHONE, RequestRecorder, screenshot, signInByEmail,
} from '../support/browser';
import { closeDb } from '../support/db';
import { createTenant, createUser } from '../support/fixtures';
import { Http } from '../support/http';
import { createCustomer, tag } from '../support/ledger';
import { Stack } from '../support/stack';

/** The visible labels the screens promise, by locale: the walk finds everything by role and these names. */
const WORDS = {
  'en-US': {
    workflows: 'Workflows', tasks: 'Tasks', invoices: 'Invoices', settings: 'Settings',
    templates: 'Templates', mine: 'My workflows', runs: 'Run history',
    forCustomers: 'For customers', forTeam: 'For the team',
    paymentDue: 'Payment due reminder', approveLarge: 'Approve large invoices', useTemplate: 'Use this template',
    name: 'Name', field1: 'Field 1', value1: 'Value 1', zero: '0.00', assignee: 'Assignee', loading: 'Loading…', emailCustomer: 'Email to the customer', task: 'Task', approvalSteps: 'Approval steps', step1: 'Step 1',
    preview: 'Preview', save: 'Save', saveActivate: 'Save and activate', on: 'ON',
    actions: 'Actions ⋮', runNow: 'Run now', details: 'Details',
    approvalStatus: 'Approval status', approvalRequired: 'Approval required', approved: 'Approved', apply: 'Apply',
    invoice: (n: string) => `Invoice ${n}`, submit: 'Submit for approval', approve: 'Approve', signIn: 'Sign in', email: 'Email',
    users: 'Users', outOfOffice: 'Out of office', sendWindow: 'Send window', webhooks: 'Webhooks', sessions: 'Sessions',
  },
  'fr-CA': {
    workflows: 'Flux de travaux', tasks: 'Tâches', invoices: 'Factures', settings: 'Paramètres',
    templates: 'Modèles', mine: 'Mes flux de travaux', runs: "Historique d'exécution",
    forCustomers: 'Pour les clients', forTeam: "Pour l'équipe",
    paymentDue: "Rappel d'échéance de paiement", approveLarge: 'Approbation des factures importantes', useTemplate: 'Utiliser ce modèle',
    name: 'Nom', field1: 'Champ 1', value1: 'Valeur 1', zero: '0,00', assignee: 'Responsable', loading: 'Chargement…', emailCustomer: 'Courriel au client', task: 'Tâche', approvalSteps: "Étapes d'approbation", step1: 'Étape 1',
    preview: 'Aperçu', save: 'Enregistrer', saveActivate: 'Enregistrer et activer', on: 'ACTIVÉ',
    actions: 'Actions ⋮', runNow: 'Exécuter maintenant', details: 'Détails',
    approvalStatus: "État d'approbation", approvalRequired: 'Approbation requise', approved: 'Approuvée', apply: 'Appliquer',
    invoice: (n: string) => `Facture ${n}`, submit: 'Envoyer pour approbation', approve: 'Approuver', signIn: 'Se connecter', email: 'Courriel',
    users: 'Utilisateurs', outOfOffice: 'Absence du bureau', sendWindow: "Plage d'envoi", webhooks: 'Webhooks', sessions: 'Sessions',
  },
} as const;

type Locale = keyof typeof WORDS;

/** Polls `read` (every 250 ms, up to 20 s) until it gives a truthy value, which it returns. */
async function eventually<T>(read: () => Promise<T | undefined | false>, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Every screen the walk visited, to check again at the other viewport. */
interface Visited {
  name: string;
  url: string;
  page: Page;
}

/**
 * The console walked in a real browser against the real stack, as an admin, a standard user and an approver would,
 * in each locale and its own company: a reminder workflow from its template, an approval workflow, a standard user's
 * invoice submitted and approved from Tasks, found by the approval status filter, a run started from the Actions menu
 * and found in Run history. Every screen visited is checked with axe-core at desktop and phone widths; every request
 * the console made is an operation of openapi.json.
 */
describe.each(['en-US', 'fr-CA'] as const)('console walk (%s)', (locale: Locale) => {
  const w = WORDS[locale];
  const stack = new Stack(`console-walk-${locale}`);
  let http: Http;
  let browser: Browser;
  const visited: Visited[] = [];
  const recorders: RequestRecorder[] = [];

  beforeAll(async () => {
    await stack.start();
    http = new Http(stack.baseUrl);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await closeDb();
    await stack.stop();
  });

  async function tab(): Promise<Page> {
    const page = await newTab(browser, DESKTOP, locale);
    recorders.push(new RequestRecorder(stack.baseUrl).attach(page));
    return page;
  }

  /** Checks the screen now shown with axe (desktop) and remembers it for the phone pass. */
  async function screen(page: Page, name: string): Promise<void> {
    await page.waitForSelector('main h1');
    await expectAccessible(page, `${name} (${locale})`);
    visited.push({ name, url: page.url(), page });
  }

  const heading = (page: Page, name: string, level?: number) =>
    page.waitForSelector(`::-p-aria([name="${name}"][role="heading"])`, { visible: true }).then(async (h) => {
      if (level) expect(await h!.evaluate((el: any) => el.tagName)).toBe(`H${level}`);
      return h!;
    });

  /** The <article> whose h3/h2 names it. */
  async function article(page: Page, title: string): Promise<ElementHandle> {
    const h = await heading(page, title);
    const found = await h.evaluateHandle((el: any) => el.closest('article'));
    const element = found.asElement();
    if (!element) throw new Error(`"${title}" is not inside an <article>`);
    return element as ElementHandle;
  }

  async function within(scope: ElementHandle, role: string, name: string): Promise<ElementHandle> {
    const handle = await scope.waitForSelector(`::-p-aria([name="${name}"][role="${role}"])`, { visible: true });
    if (!handle) throw new Error(`no ${role} named "${name}"`);
    return handle as ElementHandle;
  }

  async function check(page: Page, name: string): Promise<void> {
    const box = await byRole(page, 'checkbox', name);
    if (!(await box.evaluate((el: any) => el.checked))) await box.click();
  }

  /** Presses "Save and activate" and waits for My workflows; a refusal shown instead fails with its words. */
  async function saveAndActivate(page: Page): Promise<void> {
    // Once the preview has answered: its answer grows the page above the button, and a click aimed before would miss.
    await page.waitForFunction((loading: string) => !(globalThis as any).document.querySelector('main').innerText.includes(loading), {}, w.loading);
    await (await byRole(page, 'button', w.saveActivate)).click();
    const outcome = await page.waitForFunction(() => {
      const doc = (globalThis as any).document;
      if ((globalThis as any).location.pathname === '/app/workflows/mine') return 'saved';
      const shown = [...doc.querySelectorAll('[role="alert"], .field .error')].map((el: any) => el.innerText.trim()).filter(Boolean);
      return shown.length ? shown.join(' | ') : false;
    });
    const said = await outcome.jsonValue();
    if (said !== 'saved') throw new Error(`"${w.saveActivate}" did not save: ${said}`);
  }

  it('admin: a reminder and an approval workflow from templates; a standard user submits, the approver approves, the filter finds it; Run now shows in Run history', async () => {
    const tenant = await createTenant(http, { locale, name: `Walk ${locale} ${tag()}` });
    const approver = await createUser(tenant, 'standard', 'Avery');
    const creator = await createUser(tenant, 'standard', 'Cora');
    const customer = await createCustomer(tenant.admin, { name: `Globex ${tag()}` });

    // The admin signs in by email and lands on Workflows (Templates).
    const admin = await tab();
    await signInByEmail(admin, stack.baseUrl, tenant.adminEmail, { locale });
    await heading(admin, w.workflows, 1);
    await byRole(admin, 'link', w.templates);
    await heading(admin, w.forCustomers, 2);
    await heading(admin, w.forTeam, 2);
    await screen(admin, 'workflows-templates');

    // "Payment due in three days" from the Payment due reminder template, saved and activated.
    await within(await article(admin, w.paymentDue), 'link', w.useTemplate).then((l) => l.click());
    const nameBox = await byRole(admin, 'textbox', w.name);
    await nameBox.click({ count: 3 });
    await nameBox.type('Payment due in three days');
    await (await byRole(admin, 'combobox', w.field1)).select('amount');
    // An amount as the locale writes it: fr-CA with a decimal comma.
    await (await byRole(admin, 'textbox', w.value1)).type(w.zero);
    await check(admin, w.emailCustomer);
    await check(admin, w.task);
    await (await byRole(admin, 'combobox', w.assignee)).select(tenant.adminId);
    await heading(admin, w.preview, 2);
    await admin.waitForFunction((loading: string) => !(globalThis as any).document.querySelector('main').innerText.includes(loading), {}, w.loading);
    await screen(admin, 'workflow-editor');
    await screenshot(admin, locale === 'en-US' ? 'workflow-editor' : 'workflow-editor-fr-CA');
    await saveAndActivate(admin);
    const reminderSwitch = await byRole(admin, 'switch', 'Payment due in three days');
    expect(await reminderSwitch.evaluate((el: any) => [el.getAttribute('aria-checked'), el.innerText.trim()])).toEqual(['true', w.on]);
    const saved = (await tenant.admin.get('/v1/workflows?templateKey=payment-due-reminder')).body.data
      .find((d: any) => d.name === 'Payment due in three days');
    expect(saved).toMatchObject({ status: 'active' });
    expect(saved.conditions).toEqual(expect.arrayContaining([
      expect.objectContaining({ field: 'amount', op: 'gt', value: '0.00' }), expect.objectContaining({ field: 'dueDate', op: 'within_days', value: 3 }),
    ]));
    expect(saved.actions.map((a: any) => a.type).sort()).toEqual(['email', 'task']);
    await screen(admin, 'workflows-mine');

    // An invoice approval workflow with Avery as the approver of step 1.
    await (await byRole(admin, 'link', w.templates)).click();
    await within(await article(admin, w.approveLarge), 'link', w.useTemplate).then((l) => l.click());
    await heading(admin, w.approvalSteps, 2);
    const step = await byRole(admin, 'group', w.step1);
    await within(step, 'checkbox', 'Avery').then((c) => c.click());
    await screen(admin, 'workflow-editor-approval');
    await saveAndActivate(admin);
    await byRole(admin, 'switch', w.approveLarge);

    // A standard user's large invoice (created through the API with the user's key): approval required.
    const number = `INV-${tag()}`;
    const created = await creator.http.post('/v1/invoices', { number, customerId: customer.id, amount: '1250.00', issueDate: '2026-12-01', dueDate: '2026-12-31' });
    expect(created.status).toBe(201);
    await eventually(async () => (await creator.http.get(`/v1/invoices/${created.body.id}`)).body.approvalStatus === 'approval_required', 'approval required');
    // A second one, left waiting for approval: the Approved filter must leave it out.
    const waiting = `INV-${tag()}`;
    expect((await creator.http.post('/v1/invoices', { number: waiting, customerId: customer.id, amount: '1300.00', issueDate: '2026-12-01', dueDate: '2026-12-31' })).status).toBe(201);

    const cora = await tab();
    await signInByEmail(cora, stack.baseUrl, creator.email, { locale });
    await (await byRole(cora, 'link', w.invoices)).click();
    await heading(cora, w.invoices, 1);
    await screen(cora, 'invoices');
    await (await byRole(cora, 'link', number)).click();
    await heading(cora, w.invoice(number), 1);
    const statusSection = await heading(cora, w.approvalStatus, 2);
    expect(await statusSection.evaluate((el: any) => el.closest('section, div').innerText)).toContain(w.approvalRequired);
    await screen(cora, 'invoice');
    await (await byRole(cora, 'button', w.submit)).click();
    await eventually(async () => (await creator.http.get(`/v1/invoices/${created.body.id}`)).body.approvalStatus === 'pending_approval', 'pending approval');

    // Avery approves from Tasks (Mine, the default view).
    const avery = await tab();
    await signInByEmail(avery, stack.baseUrl, approver.email, { locale });
    await (await byRole(avery, 'link', w.tasks)).click();
    await heading(avery, w.tasks, 1);
    const task = await eventually(async () => {
      await avery.reload();
      await avery.waitForSelector('main h1');
      return (await avery.$$('main article'))[0];
    }, 'the approval task in Tasks');
    expect(await task.evaluate((el: any) => el.innerText)).toContain(number);
    await screen(avery, 'tasks');
    await screenshot(avery, locale === 'en-US' ? 'tasks' : 'tasks-fr-CA');
    await within(task, 'button', w.approve).then((b) => b.click());
    await eventually(async () => (await creator.http.get(`/v1/invoices/${created.body.id}`)).body.approvalStatus === 'approved', 'approved');

    // The admin finds it with the Approval status filter (Approved).
    await (await byRole(admin, 'link', w.invoices)).click();
    await heading(admin, w.invoices, 1);
    await byRole(admin, 'group', w.approvalStatus);
    await check(admin, w.approved);
    const apply = await admin.$(`::-p-aria([name="${w.apply}"][role="button"])`);
    if (apply) await apply.click();
    await admin.waitForFunction(() => (globalThis as any).location.search.includes('approved'));
    await byRole(admin, 'link', number);
    await eventually(async () => !(await pageText(admin)).includes(waiting), 'the Approved filter leaving out the invoice still waiting');
    await screen(admin, 'invoices-filtered');
    await screenshot(admin, locale === 'en-US' ? 'invoices' : 'invoices-fr-CA');
    await (await byRole(admin, 'link', number)).click();
    await heading(admin, w.invoice(number), 1);
    expect(await pageText(admin)).toContain(w.approved);
    await screenshot(admin, locale === 'en-US' ? 'invoice' : 'invoice-fr-CA');

    // Run now on the reminder, from its Actions ⋮ menu; Run history shows the run, and its page.
    await (await byRole(admin, 'link', w.workflows)).click();
    await (await byRole(admin, 'link', w.mine)).click();
    await byRole(admin, 'switch', 'Payment due in three days');
    await screenshot(admin, locale === 'en-US' ? 'workflows-mine' : 'workflows-mine-fr-CA');
    await (await byRole(admin, 'button', `${w.actions} Payment due in three days`)).click();
    await (await byRole(admin, 'menuitem', w.runNow)).click();
    await (await byRole(admin, 'link', w.runs)).click();
    // The run's row, and in it its Details link (its accessible name adds, visually hidden, which run it is: the
    // visible word starts it), read again each time: the page re-renders the table as the run moves on.
    const runDetails = async () => {
      for (const r of await admin.$$('main table tbody tr')) {
        if (!(await r.evaluate((el: any) => el.innerText)).includes('Payment due in three days')) continue;
        for (const a of await r.$$('a')) if ((await a.evaluate((el: any) => el.innerText.trim())).startsWith(w.details)) return a;
      }
      return undefined;
    };
    await eventually(async () => {
      await admin.reload();
      await admin.waitForSelector('main h1');
      return runDetails();
    }, 'the run in Run history');
    await screen(admin, 'run-history');
    // A link the table replaced between finding and clicking it is found again.
    await eventually(async () => (await runDetails())?.click().then(() => true, () => false), 'the run\'s Details link, clicked');
    await admin.waitForFunction(() => /\/app\/workflows\/runs\/[^/]+$/.test((globalThis as any).location.pathname));
    await screen(admin, 'run');

    // Settings, every tab an admin sees.
    await (await byRole(admin, 'link', w.settings)).click();
    await heading(admin, w.settings, 1);
    await screenshot(admin, locale === 'en-US' ? 'settings' : 'settings-fr-CA');
    for (const name of [w.users, w.outOfOffice, w.sendWindow, w.webhooks, w.sessions]) {
      await (await byRole(admin, 'link', name)).click();
      await screen(admin, `settings-${name}`);
    }
  }, 240_000);

  it('every screen visited is axe-clean at phone width too, without horizontal page scroll', async () => {
    expect(visited.length).toBeGreaterThan(0);
    for (const v of visited) {
      await v.page.setViewport(PHONE);
      await v.page.goto(v.url);
      await v.page.waitForSelector('main h1');
      await expectAccessible(v.page, `${v.name} (${locale}, phone)`);
      const overflow = await v.page.evaluate(() => {
        const d = (globalThis as any).document.documentElement;
        return d.scrollWidth - d.clientWidth;
      });
      expect([v.name, overflow]).toEqual([v.name, 0]);
    }
  }, 180_000);

  it('every console request of the walk is a public API call', () => {
    expect(recorders.flatMap((r) => r.strays())).toEqual([]);
  });
});
