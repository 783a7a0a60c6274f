/**
 * Console benchmark: `npm run bench:console` (scripts/bench.js provisions Postgres, Temporal and SMTP, builds, migrates,
 * then runs this file). It starts the real API process from dist/, seeds one company with 200 workflow definitions
 * (through the API) and 10,000 invoices (one SQL statement), signs in (a sign-in link row written by SQL, then the
 * public POST /v1/sessions), and measures in Chromium the time to interactive of, side by side in the same run:
 *   bare      GET /unsubscribe/<token>: a reminder's unsubscribe page, served by the same API process (one indexed
 *             lookup, HTML written by the server, no script): interactive when its button is in the page
 *   mine      /app/workflows/mine: interactive when the My workflows table shows its 200 rows
 *   invoices  /app/invoices: interactive when the first page of invoices is in the table
 * Time to interactive is the page's own clock from navigation start (performance.now()) to the first animation frame
 * where the condition holds. Each run opens each page cold (a fresh browser context: nothing cached) then warm (the
 * same page again: the console's hashed assets from the cache), in rotating order; BENCH_RUNS (7) runs; BENCH_ONLY=mine
 * or invoices measures one console page; BENCH_TRACE=1 prints each page's requests of its last cold load (start and end
 * in ms from navigation start), to see where the time goes.
 * Target: the console's medians at most 2x the bare page's.
 */
import { createHash, randomBytes } from 'node:crypto';
import puppeteer, { type Browser } from 'puppeteer-core';
import { Client } from 'pg';
import { freePort } from '../test/support/net';
import { need } from './env';
import { call, startProcess, stopProcess, waitForApi } from './processes';
import { median } from './stats';

const DEFINITIONS = 200;
const INVOICES = 10_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

const sha256 = (token: string): Buffer => createHash('sha256').update(token).digest();

interface Seeded {
  cookies: { name: string; value: string }[];
  unsubscribeToken: string;
}

async function seed(base: string): Promise<Seeded> {
  const email = `bench-console-${Date.now()}@bench.test`;
  const created = await call(base, 'POST', '/v1/companies', undefined, {
    company: { name: 'Bench Console Inc.', locale: 'en-US', timezone: 'America/Toronto', currency: 'CAD', plan: 'advanced' },
    admin: { name: 'Bench Admin', email },
  });
  const apiKey = created.apiKey as string;
  const customer = await call(base, 'POST', '/v1/customers', apiKey, { name: 'Bench Customer', email: 'customer@bench.test' });
  for (let i = 1; i <= DEFINITIONS; i++) {
    await call(base, 'POST', '/v1/workflows', apiKey, { templateKey: 'bank-deposit-reminder', name: `Deposit reminder ${String(i).padStart(3, '0')}` });
  }
  const db = new Client({ connectionString: need('DATABASE_URL') });
  await db.connect();
  const signInToken = randomBytes(32).toString('base64url');
  const unsubscribeToken = randomBytes(32).toString('base64url');
  try {
    await db.query(
      `INSERT INTO invoices (company_id, number, customer_id, amount, balance, issue_date, due_date, created_by, created_at)
       SELECT $1, 'SEED-' || lpad(g::text, 5, '0'), $2, 100.00 + g, 100.00 + g, DATE '2026-12-01',
              DATE '2026-12-01' + (g % 60), $3, date_trunc('milliseconds', now()) - (($4 - g) * interval '1 millisecond')
         FROM generate_series(1, $4::int) AS g`,
      [created.company.id, customer.id, created.user.id, INVOICES],
    );
    await db.query('ANALYZE invoices');
    // What POST /v1/sign-in-links would have emailed, written directly: the bench measures pages, not the mail.
    await db.query(`INSERT INTO sign_in_links (token_hash, email, expires_at) VALUES ($1, $2, now() + interval '15 minutes')`, [sha256(signInToken), email]);
    await db.query('INSERT INTO unsubscribe_tokens (company_id, customer_id, token_hash) VALUES ($1, $2, $3)', [created.company.id, customer.id, sha256(unsubscribeToken)]);
  } finally {
    await db.end();
  }
  const res = await fetch(`${base}/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: signInToken }) });
  if (res.status !== 201) throw new Error(`POST /v1/sessions answered ${res.status}: ${await res.text()}`);
  const cookies = res.headers.getSetCookie().map((line) => {
    const [pair] = line.split(';');
    const at = pair.indexOf('=');
    return { name: pair.slice(0, at), value: pair.slice(at + 1) };
  });
  return { cookies, unsubscribeToken };
}

interface Target {
  name: string;
  path: string;
  /** Runs in the page on every animation frame: true once the page is interactive. */
  ready: string;
}

/** The page's requests so far: the document, then each resource by its start, times in ms from navigation start. */
const TIMELINE = `[...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
  .map((e) => ({ name: e.name.replace(location.origin, '').slice(0, 60), start: e.startTime, end: e.responseEnd }))
  .sort((a, b) => a.start - b.start)`;

/** Milliseconds from navigation start to the first frame where the target is ready, cold (fresh context) then warm. */
async function measure(browser: Browser, base: string, seeded: Seeded, target: Target): Promise<{ cold: number; warm: number; trace: string }> {
  const context = await browser.createBrowserContext();
  try {
    const page = await context.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    await page.setCookie(...seeded.cookies.map((c) => ({ ...c, url: base })));
    const once = async (): Promise<number> => {
      await page.goto(`${base}${target.path}`, { waitUntil: 'domcontentloaded' });
      const handle = await page.waitForFunction(`(${target.ready}) && performance.now()`, { polling: 'raf', timeout: 60_000 });
      return (await handle.jsonValue()) as number;
    };
    const cold = await once();
    const entries = (await page.evaluate(TIMELINE)) as { name: string; start: number; end: number }[];
    const trace = entries.map((e) => `  ${e.start.toFixed(0).padStart(5)} → ${e.end.toFixed(0).padStart(5)}  ${e.name}`).join('\n');
    const warm = await once();
    return { cold, warm, trace: `${trace}\n  ${cold.toFixed(0).padStart(5)} interactive` };
  } finally {
    await context.close();
  }
}

async function main(): Promise<void> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const executablePath = need('CHROMIUM_PATH');
  const api = await startProcess('the API', 'dist/api/main.js', { PORT: String(port) }, 'listening');
  let browser: Browser | undefined;
  try {
    await waitForApi(base, api);
    const started = Date.now();
    const seeded = await seed(base);
    console.log(`seeded ${DEFINITIONS} definitions and ${INVOICES} invoices in ${((Date.now() - started) / 1000).toFixed(1)} s; ${RUNS} runs\n`);
    browser = await puppeteer.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    const all: Target[] = [
      { name: 'bare', path: `/unsubscribe/${seeded.unsubscribeToken}`, ready: `document.querySelector('form button') !== null` },
      { name: 'mine', path: '/app/workflows/mine', ready: `document.querySelectorAll('main table tbody tr').length >= ${DEFINITIONS}` },
      { name: 'invoices', path: '/app/invoices', ready: `document.querySelector('main table tbody tr a[href*="/invoices/"]') !== null` },
    ];
    // BENCH_ONLY=invoices measures only those pages (and bare, the reference).
    const only = process.env.BENCH_ONLY?.split(',');
    const targets = all.filter((t) => t.name === 'bare' || !only || only.includes(t.name));
    // One warm-up of each: the API's first requests compile its routes' code and fill Postgres' caches.
    for (const t of targets) await measure(browser, base, seeded, t);
    const times = new Map(targets.map((t) => [t.name, { cold: [] as number[], warm: [] as number[], trace: '' }]));
    for (let run = 0; run < RUNS; run++) {
      // Rotating order: no page always goes first after the others.
      for (let i = 0; i < targets.length; i++) {
        const t = targets[(run + i) % targets.length];
        const m = await measure(browser, base, seeded, t);
        times.get(t.name)!.cold.push(m.cold);
        times.get(t.name)!.warm.push(m.warm);
        times.get(t.name)!.trace = m.trace;
      }
    }
    if (process.env.BENCH_TRACE) {
      for (const t of targets) console.log(`${t.name}, the last cold load:\n${times.get(t.name)!.trace.replace(seeded.unsubscribeToken, '<token>')}\n`);
    }
    const bare = times.get('bare')!;
    console.log('page       cold median ms   warm median ms   cold runs (ms)');
    for (const t of targets) {
      const m = times.get(t.name)!;
      console.log(`${t.name.padEnd(11)}${median(m.cold).toFixed(0).padStart(14)}${median(m.warm).toFixed(0).padStart(17)}   ${m.cold.map((v) => v.toFixed(0)).join(' ')}`);
    }
    const ratios = targets.filter((t) => t.name !== 'bare').map((t) => {
      const m = times.get(t.name)!;
      return { name: t.name, cold: median(m.cold) / median(bare.cold), warm: median(m.warm) / median(bare.warm) };
    });
    console.log(`\nratios to bare (${targets[0].path.replace(seeded.unsubscribeToken, '<token>')}): ` +
      ratios.map((r) => `${r.name} cold ${r.cold.toFixed(2)}x, warm ${r.warm.toFixed(2)}x`).join('; '));
    const met = ratios.every((r) => r.cold <= 2 && r.warm <= 2);
    console.log(`target (each console page <= 2x the bare page, cold and warm): ${met ? 'met' : 'MISSED'}`);
  } finally {
    await browser?.close();
    await stopProcess(api);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
