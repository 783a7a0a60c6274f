import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser, type HTTPRequest, type Page, type Viewport } from 'puppeteer-core';
import { waitForMails } from './mail';

const ROOT = path.resolve(__dirname, '..', '..');

export const PHONE: Viewport = { width: 375, height: 812, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
export const DESKTOP: Viewport = { width: 1280, height: 800 };
export const VIEWPORTS = { phone: PHONE, desktop: DESKTOP } as const;

/** Debian's Chromium, which `npm test` provisions and names in CHROMIUM_PATH; no sandbox, as the tests run as root. */
export function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH;
  if (!executablePath) throw new Error('CHROMIUM_PATH is not set: run the tests with `npm test`, which provisions Chromium');
  return puppeteer.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/**
 * A tab whose browser prefers `locale` (the sign-in pages speak the browser's language; the signed-in screens the
 * company's).
 */
export async function newTab(browser: Browser, viewport: Viewport, locale = 'en-US'): Promise<Page> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport(viewport);
  await page.evaluateOnNewDocument((languages: string[]) => {
    const nav = (globalThis as unknown as { navigator: object }).navigator;
    Object.defineProperty(nav, 'languages', { get: () => languages });
    Object.defineProperty(nav, 'language', { get: () => languages[0] });
  }, [locale, locale.slice(0, 2)]);
  page.setDefaultTimeout(15_000);
  return page;
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

const AXE_SOURCE = readFileSync(path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/**
 * Runs axe-core in the page (evaluated through DevTools, which the console's CSP does not govern) and fails on any
 * violation of impact serious or critical, naming the rule, the elements and the help.
 */
export async function expectAccessible(page: Page, screenName: string): Promise<void> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, { resultTypes: ['violations'] });
    return result.violations;
  }) as AxeViolation[];
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (serious.length === 0) return;
  const viewport = page.viewport();
  const lines = serious.map((v) => `- ${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join('\n    ')}\n    ${v.helpUrl}`);
  throw new Error(`${screenName} at ${viewport?.width}x${viewport?.height}: ${serious.length} serious/critical axe violation(s)\n${lines.join('\n')}`);
}

/** The page's text, read in the page (the tests compile without the DOM's types). */
export function pageText(page: Page): Promise<string> {
  return page.$eval('body', (el) => (el as unknown as { innerText: string }).innerText);
}

/** The element of `role` whose accessible name is `name` (exactly), waiting for it to appear. */
export async function byRole(page: Page, role: string, name: string) {
  const handle = await page.waitForSelector(`::-p-aria([name="${name.replace(/"/g, '\\"')}"][role="${role}"])`, { visible: true });
  if (!handle) throw new Error(`no ${role} named "${name}"`);
  return handle;
}

/** Waits until no element of `role` named `name` is in the page. */
export async function gone(page: Page, role: string, name: string): Promise<void> {
  await page.waitForSelector(`::-p-aria([name="${name.replace(/"/g, '\\"')}"][role="${role}"])`, { hidden: true });
}

const SIGN_IN_LINK = /https?:\/\/\S+\/app\/sign-in\/[A-Za-z0-9_-]{43}/;

const SIGN_IN_SUBJECTS = ['Your Relance sign-in link', 'Votre lien de connexion à Relance'];

const SIGN_IN_WORDS = {
  'en-US': { email: 'Email', send: 'Email me a sign-in link', signIn: 'Sign in', continue: 'Continue' },
  'fr-CA': { email: 'Courriel', send: "M'envoyer un lien de connexion", signIn: 'Se connecter', continue: 'Continuer' },
};

/** Asks for a sign-in link on /app/sign-in as a person would and returns the link the email brought. */
export async function requestSignInLink(page: Page, baseUrl: string, email: string, locale: keyof typeof SIGN_IN_WORDS = 'en-US'): Promise<string> {
  const words = SIGN_IN_WORDS[locale];
  const before = (await waitForMails(email, 0, 0, { signIn: true })).length;
  await page.goto(`${baseUrl}/app/sign-in`);
  await (await byRole(page, 'textbox', words.email)).type(email);
  await (await byRole(page, 'button', words.send)).click();
  const answer = await page.waitForSelector('[role="status"], [role="alert"], .field .error');
  const role = await answer!.evaluate((el) => (el as unknown as { getAttribute(n: string): string | null }).getAttribute('role'));
  if (role !== 'status') throw new Error(`asking a sign-in link for ${email} was refused: ${await answer!.evaluate((el) => (el as unknown as { textContent: string }).textContent)}`);
  // Other emails (an invitation, an approval request) may arrive meanwhile: the link is the one of the sign-in email.
  const deadline = Date.now() + 20_000;
  let link: string | undefined;
  while (!link && Date.now() < deadline) {
    const mails = await waitForMails(email, before + 1, 1_000, { signIn: true });
    link = mails.slice(before).filter((m) => SIGN_IN_SUBJECTS.includes(m.subject)).map((m) => SIGN_IN_LINK.exec(m.text)?.[0]).find(Boolean);
    if (!link) await new Promise((r) => setTimeout(r, 200));
  }
  if (!link) throw new Error(`no sign-in email with a link to ${email} within 20 s`);
  return link;
}

/**
 * Signs in by email as a person would: asks for the link, opens it from the email, presses "Sign in" (and picks
 * `companyName` when the address belongs to several companies), and waits for the signed-in frame.
 */
export async function signInByEmail(page: Page, baseUrl: string, email: string, options: { locale?: keyof typeof SIGN_IN_WORDS; companyName?: string } = {}): Promise<void> {
  const locale = options.locale ?? 'en-US';
  const words = SIGN_IN_WORDS[locale];
  const link = await requestSignInLink(page, baseUrl, email, locale);
  await page.goto(link);
  await (await byRole(page, 'button', words.signIn)).click();
  if (options.companyName) {
    await (await byRole(page, 'radio', options.companyName)).click();
    await (await byRole(page, 'button', words.continue)).click();
  }
  await page.waitForSelector('nav.sections');
}

interface OpenApi {
  paths: Record<string, Record<string, unknown>>;
}

function publicOperations(): { method: string; pattern: RegExp; route: string }[] {
  const spec = JSON.parse(readFileSync(path.join(ROOT, 'openapi.json'), 'utf8')) as OpenApi;
  return Object.entries(spec.paths).flatMap(([route, ops]) => Object.keys(ops).map((method) => ({
    method: method.toUpperCase(),
    route,
    pattern: new RegExp(`^${route.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+')}$`),
  })));
}

/**
 * Every request a page makes, for `every console request is a public API call`: the console is a client of the
 * documented API and nothing else (no other origin, no undocumented route).
 */
export class RequestRecorder {
  readonly requests: { method: string; url: string }[] = [];

  constructor(private readonly baseUrl: string) {}

  attach(page: Page): this {
    page.on('request', (request: HTTPRequest) => {
      this.requests.push({ method: request.method(), url: request.url() });
    });
    return this;
  }

  /** The requests that are neither the console's own page and assets nor an operation of openapi.json. */
  strays(): string[] {
    const operations = publicOperations();
    const origin = new URL(this.baseUrl).origin;
    return this.requests.filter(({ method, url }) => {
      if (url.startsWith('data:')) return false;
      const parsed = new URL(url);
      if (parsed.origin !== origin) return true;
      if (parsed.pathname === '/app' || parsed.pathname.startsWith('/app/')) return method !== 'GET';
      if (method === 'OPTIONS') return true;
      return !operations.some((op) => op.method === method && op.pattern.test(parsed.pathname));
    }).map(({ method, url }) => `${method} ${url}`);
  }

  /** The documented operations the page called, as `METHOD /route`. */
  operations(): string[] {
    const operations = publicOperations();
    const origin = new URL(this.baseUrl).origin;
    const seen = new Set<string>();
    for (const { method, url } of this.requests) {
      const parsed = new URL(url);
      if (parsed.origin !== origin) continue;
      const op = operations.find((o) => o.method === method && o.pattern.test(parsed.pathname));
      if (op) seen.add(`${method} ${op.route}`);
    }
    return [...seen].sort();
  }
}

/**
 * A screenshot for the README, written to docs/screenshots/<name>.png only when RELANCE_SCREENSHOTS=1 (so that CI does
 * not rewrite the committed ones); otherwise nothing.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.RELANCE_SCREENSHOTS !== '1') return;
  const dir = path.join(ROOT, 'docs', 'screenshots');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`) as `${string}.png`, fullPage: true });
}
