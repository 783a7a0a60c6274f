import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { createTenant } from '../support/fixtures';
import { Http } from '../support/http';
import { createCustomer, createInvoice } from '../support/ledger';
import { freePort } from '../support/net';
import { until } from '../support/until';

const ROOT = path.resolve(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const stackState = require('../../scripts/lib/stack-state') as {
  alive(record: { pid: number; start: string | null }): boolean;
};

interface Recorded { name: string; pid: number; start: string | null }
interface StackFile { launcher: Recorded; watchdog?: Recorded; children: Recorded[] }
/** An email as MailDev's REST API (GET /email) answers it. */
interface MailDevEmail {
  id: string; subject: string; html: string; to: { address: string }[]; headers: Record<string, string>;
  attachments: { contentType: string; fileName: string; generatedFileName: string }[];
}

/**
 * `npm run dev` (scripts/dev.js) on ports and a data directory of its own: killed with SIGKILL it leaves nothing
 * running, a start after a launcher and its watchdog were both killed stops what they left, Ctrl-C stops everything
 * within 5 s, and a port held by another process is refused in one line.
 */
describe('the dev launcher', () => {
  const data = mkdtempSync(path.join(tmpdir(), 'relance-dev-'));
  const stateFile = path.join(data, 'dev-stack.json');
  let env: NodeJS.ProcessEnv;
  const launched: ChildProcess[] = [];

  beforeAll(async () => {
    chmodSync(data, 0o755); // as root, embedded PostgreSQL runs as the postgres user, who must reach its data directory
    env = { ...process.env, RELANCE_DEV_DATA: data, NODE_ENV: 'development' };
    for (const key of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'SMTP_URL', 'TEMPORAL_TASK_QUEUE']) delete env[key];
    env.RELANCE_PG_PORT = String(await freePort());
    env.RELANCE_TEMPORAL_PORT = String(await freePort());
    env.RELANCE_TEMPORAL_UI_PORT = String(await freePort());
    env.RELANCE_MAIL_SMTP_PORT = String(await freePort());
    env.RELANCE_MAIL_HTTP_PORT = String(await freePort());
    env.PORT = String(await freePort());
    env.INBOUND_SMTP_PORT = String(await freePort());
  });
  afterAll(async () => {
    for (const child of launched) if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGINT');
    await new Promise((r) => setTimeout(r, 3000));
    rmSync(data, { recursive: true, force: true });
  });

  /** Starts the launcher in a process group of its own, as a terminal would; resolves once the stack is up. */
  function launch(extra: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; output: () => string; code: Promise<number | null> }> {
    const child = spawn(process.execPath, ['scripts/dev.js'], { cwd: ROOT, env: { ...env, ...extra }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    launched.push(child);
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    const code = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    return new Promise((resolve, reject) => {
      const timer = setInterval(() => {
        if (out.includes('Relance is running') || child.exitCode !== null) {
          clearInterval(timer);
          clearTimeout(limit);
          resolve({ child, output: () => out, code });
        }
      }, 100);
      const limit = setTimeout(() => {
        clearInterval(timer);
        reject(new Error(`the launcher did not start within 120 s:\n${out}`));
      }, 120_000);
    });
  }

  const readState = (): StackFile => JSON.parse(readFileSync(stateFile, 'utf8')) as StackFile;

  async function gone(records: Recorded[], withinMs: number): Promise<Recorded[]> {
    const deadline = Date.now() + withinMs;
    let left = records.filter((r) => stackState.alive(r));
    while (left.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      left = left.filter((r) => stackState.alive(r));
    }
    return left;
  }

  it('killed with SIGKILL, leaves nothing of its stack running after 10 s', async () => {
    const { child, output } = await launch();
    expect(output()).toContain('Relance is running');
    const state = readState();
    expect(state.children.map((c) => c.name).sort()).toEqual(['api', 'inbound-smtp', 'mail-catcher', 'postgres', 'temporal', 'worker']);
    child.kill('SIGKILL');
    const started = Date.now();
    expect(await gone([...state.children, state.launcher, state.watchdog!], 10_000)).toEqual([]);
    console.log(`[dev-launcher] nothing left ${Date.now() - started} ms after SIGKILL`);
  }, 180_000);

  it('after the launcher and its watchdog were killed, the next start stops what they left; Ctrl-C stops all within 5 s', async () => {
    const first = await launch();
    const left = readState();
    process.kill(left.watchdog!.pid, 'SIGKILL');
    first.child.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 1000));
    expect(left.children.filter((c) => stackState.alive(c)).length).toBe(6); // orphans, until the next start

    const second = await launch();
    expect(second.output()).toMatch(/stopped what a previous launcher \(pid \d+, gone\) left running: .*temporal/);
    expect(second.output()).toContain('starting the Temporal dev server');
    expect(left.children.filter((c) => stackState.alive(c))).toEqual([]);
    const state = readState();

    // MailDev catches what the stack mails: an invoice sent through the API shows as its HTML, headers and PDF.
    const tenant = await createTenant(new Http(`http://127.0.0.1:${env.PORT}`));
    const customer = await createCustomer(tenant.admin);
    const invoice = await createInvoice(tenant.admin, customer.id);
    expect((await tenant.admin.post(`/v1/invoices/${invoice.id}/send`)).status).toBe(200);
    const mailWeb = `http://127.0.0.1:${env.RELANCE_MAIL_HTTP_PORT}`;
    const inbox = await until(async () => (await (await fetch(`${mailWeb}/email`)).json()) as MailDevEmail[],
      (all) => all.some((m) => m.to.some((t) => t.address === customer.email)), 'the invoice email in MailDev', { attempts: 100, intervalMs: 200 });
    const mail = inbox.find((m) => m.to.some((t) => t.address === customer.email))!;
    expect(mail.html).toContain(invoice.number);
    expect(mail.headers['x-relance-invoice-id']).toBe(invoice.id);
    expect(mail.attachments).toEqual([expect.objectContaining({ contentType: 'application/pdf', fileName: `invoice-${invoice.number}.pdf` })]);
    const attached = await fetch(`${mailWeb}/email/${mail.id}/attachment/${mail.attachments[0].generatedFileName}`);
    expect(Buffer.from(await attached.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    expect(await (await fetch(mailWeb)).text()).toContain('<title>MailDev');
    // Bound to the loopback only: another address of this machine is refused.
    const lan = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal);
    if (lan) await expect(fetch(`http://${lan.address}:${env.RELANCE_MAIL_HTTP_PORT}/email`)).rejects.toThrow();

    // Inbound mail over SMTP reaches the API's inbound endpoint: an address that maps to no delivery is taken (250), and changes nothing.
    const inbound = await nodemailer.createTransport({ host: '127.0.0.1', port: Number(env.INBOUND_SMTP_PORT), secure: false, ignoreTLS: true })
      .sendMail({ from: customer.email, to: `r-${'a'.repeat(32)}@inbound.relance.local`, subject: 'Re: your invoice', text: 'Paid on Tuesday.' });
    expect(inbound.response).toMatch(/^250/);

    const started = Date.now();
    process.kill(-second.child.pid!, 'SIGINT'); // Ctrl-C: the terminal signals the launcher's whole process group
    expect(await second.code).toBe(0);
    const elapsed = Date.now() - started;
    console.log(`[dev-launcher] Ctrl-C stopped the stack in ${elapsed} ms`);
    expect(elapsed).toBeLessThan(5000);
    expect(state.children.filter((c) => stackState.alive(c))).toEqual([]);
  }, 240_000);

  it('refuses a port held by another process in one line naming the port and the process', async () => {
    const holder: Server = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    try {
      const { output, code } = await launch({ RELANCE_TEMPORAL_PORT: String(port) });
      expect(await code).toBe(1);
      const lines = output().split('\n').filter((l) => l.includes('cannot start'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`port ${port} (the Temporal dev server) is already in use by pid ${process.pid}`);
      expect(output()).not.toContain('starting the Temporal dev server');
    } finally {
      holder.close();
    }
  }, 180_000);
});
