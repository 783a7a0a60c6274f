import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { createInterface, Interface } from 'node:readline';
import { freePort } from './net';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * A PostgreSQL cluster of a suite's own, which the suite may stop and start again (the shared one serves every
 * suite). Migrated with the product's migration CLI, as `npm test` migrates the shared one.
 */
export class OwnPostgres {
  url = '';
  private child?: ChildProcess;
  private lines?: Interface;
  private readonly dataDir = path.join(ROOT, '.data', `own-postgres-${randomUUID().slice(0, 8)}`);

  async start(): Promise<this> {
    this.child = spawn(process.execPath, [path.join(__dirname, 'own-postgres-process.js'), this.dataDir, String(await freePort())],
      { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
    this.lines = createInterface({ input: this.child.stdout! });
    this.url = (await this.next()).url as string;
    const migrate = spawnSync(process.execPath, ['dist/db/migrate.js'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: this.url }, encoding: 'utf8' });
    if (migrate.status !== 0) throw new Error(`migrating the suite's own PostgreSQL failed: ${migrate.stderr}`);
    return this;
  }

  /** A fast shutdown (SIGINT to the postmaster, as `pg_ctl stop`): sessions are ended, the listener closes. */
  stop(): Promise<void> {
    return this.command('stop');
  }

  /** `kill -9` of the postmaster: no shutdown, the next start recovers from the write-ahead log. */
  kill(): Promise<void> {
    return this.command('kill');
  }

  resume(): Promise<void> {
    return this.command('start');
  }

  async remove(): Promise<void> {
    if (!this.child || this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child!.once('exit', r));
    this.child.stdin!.write('exit\n');
    await exited;
  }

  private async command(line: string): Promise<void> {
    this.child!.stdin!.write(`${line}\n`);
    const answer = await this.next();
    if (answer.done !== line) throw new Error(`own PostgreSQL answered ${JSON.stringify(answer)} to ${line}`);
  }

  private next(): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`own PostgreSQL exited with code ${code}`));
      this.child!.once('exit', onExit);
      // Answers are JSON lines; anything else (a provisioning step's line) is passed on.
      const onLine = (l: string) => {
        if (!l.startsWith('{')) {
          process.stderr.write(`${l}\n`);
          return;
        }
        this.lines!.off('line', onLine);
        this.child!.off('exit', onExit);
        resolve(JSON.parse(l));
      };
      this.lines!.on('line', onLine);
    });
  }
}
