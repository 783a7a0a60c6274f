import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, openSync, rmSync } from 'node:fs';
import path from 'node:path';
import { testEnv } from './env';
import { freePort } from './net';

const ROOT = path.resolve(__dirname, '..', '..');
const SEARCH_ATTRIBUTES = ['CompanyId', 'InvoiceId', 'BillId', 'ApprovalStatus', 'WorkflowDefinitionId'];

/**
 * A Temporal dev server of a suite's own, keeping its state in a SQLite file, so that the suite may kill it
 * (`kill -9`) and start it again on the same port with every run, timer and schedule still there.
 */
export class OwnTemporal {
  address = '';
  private child?: ChildProcess;
  private port?: number;
  private readonly dir = path.join(ROOT, '.data', `own-temporal-${randomUUID().slice(0, 8)}`);

  async start(): Promise<this> {
    mkdirSync(this.dir, { recursive: true });
    this.port ??= await freePort();
    this.address = `127.0.0.1:${this.port}`;
    const args = ['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(this.port), '--namespace', 'default',
      '--db-filename', path.join(this.dir, 'temporal.db'), '--log-level', 'warn',
      '--dynamic-config-value', 'system.enableActivityEagerExecution=true'];
    for (const name of SEARCH_ATTRIBUTES) args.push('--search-attribute', `${name}=Keyword`);
    const log = openSync(path.join(testEnv().logDir, `own-temporal-${path.basename(this.dir)}.log`), 'a');
    this.child = spawn(testEnv().temporalCliPath, args, { stdio: ['ignore', log, log] });
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`the suite's own Temporal server exited with code ${this.child.exitCode}`);
      const r = spawnSync(testEnv().temporalCliPath, ['operator', 'search-attribute', 'list', '--address', this.address, '--namespace', 'default'],
        { encoding: 'utf8' });
      if (r.status === 0 && SEARCH_ATTRIBUTES.every((a) => r.stdout.includes(a))) return this;
      await new Promise((res) => setTimeout(res, 300));
    }
    throw new Error(`the suite's own Temporal server did not answer on ${this.address} within 60 s`);
  }

  /** `kill -9`: no shutdown; what was committed to its database is there at the next start. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGKILL');
    });
  }

  async remove(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
