import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, openSync } from 'node:fs';
import path from 'node:path';
import { testEnv } from './env';
import { INBOUND_DOMAIN, INBOUND_SECRET } from './mail';
import { freePort } from './net';

const ROOT = path.resolve(__dirname, '..', '..');


/**
 * A real API process and a real worker process, built from dist/, on their own task queue so that suites
 * running side by side never take each other's tasks. They share the provisioned Postgres, Temporal and SMTP.
 */
export class Stack {
  readonly taskQueue = `relance-test-${randomUUID().slice(0, 8)}`;
  baseUrl = '';
  private api?: ChildProcess;
  private workers: ChildProcess[] = [];
  private env: NodeJS.ProcessEnv = {};
  private port?: number;

  /** `env` adds to (or overrides) the environment of the API and worker processes. */
  constructor(private readonly name: string, private readonly extraEnv: Record<string, string> = {}) {}

  /** Starts the API and a worker; after `kill()`, starts them again on the same port and task queue. */
  async start(): Promise<this> {
    const e = testEnv();
    const port = (this.port ??= await freePort());
    this.env = {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      DATABASE_URL: e.databaseUrl,
      TEMPORAL_ADDRESS: e.temporalAddress,
      TEMPORAL_NAMESPACE: e.temporalNamespace,
      TEMPORAL_TASK_QUEUE: this.taskQueue,
      SMTP_URL: e.smtpUrl,
      // Receivers of the tests listen on 127.0.0.1. Suites share one database but not a task queue: a stack's
      // dispatcher would start other suites' deliveries on its own queue, stranded when it stops, so only the suites
      // that receive webhooks dispatch them (RELANCE_WEBHOOK_DISPATCH_INTERVAL_MS: '200').
      RELANCE_WEBHOOK_ALLOW_PRIVATE: 'true',
      RELANCE_WEBHOOK_DISPATCH_INTERVAL_MS: '0',
      // Likewise the look for lost decisions: it would tell the runs other suites left decided in Postgres on purpose, and
      // ask runs whose stack has stopped; only the suite about lost decisions looks (RELANCE_LOST_DECISION_INTERVAL_MS).
      RELANCE_LOST_DECISION_INTERVAL_MS: '0',
      // Every suite signs up from 127.0.0.1, and the limits are counted in the one database they share: generous here,
      // so that only the suite about the limits (which sets its own) ever meets them.
      RELANCE_SIGNUP_RATE: '1000000',
      RELANCE_DELEGATION_RATE: '1000000',
      RELANCE_LINK_GUESS_RATE: '1000000',
      RELANCE_SIGNIN_RATE: '1000000',
      RELANCE_SIGNIN_CLIENT_RATE: '1000000',
      RELANCE_DECISION_RATE: '1000000',
      // Every customer email carries its own reply address, and the suites answer them (test/support/mail.ts).
      INBOUND_DOMAIN,
      RELANCE_INBOUND_SECRET: INBOUND_SECRET,
      ...this.extraEnv,
    };
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.api = this.spawn('api', 'dist/api/main.js');
    await this.startWorker();
    await this.waitForHealth();
    return this;
  }

  async startWorker(): Promise<ChildProcess> {
    const worker = this.spawn(`worker-${this.workers.length + 1}`, 'dist/worker/main.js');
    this.workers.push(worker);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('worker did not start polling within 30 s')), 30000);
      worker.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('polling task queue')) {
          clearTimeout(timer);
          resolve();
        }
      });
      worker.once('exit', (code) => reject(new Error(`worker exited with code ${code} while starting`)));
    });
    return worker;
  }

  /** The process ids of the running workers, oldest first (a worker's Temporal identity is `<pid>@<host>`). */
  get workerPids(): number[] {
    return this.workers.map((w) => w.pid!);
  }

  /** Stops the newest worker the way an orchestrator would (SIGTERM), or kills it outright. */
  async stopWorker(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    const worker = this.workers.pop();
    return worker ? stopProcess(worker, signal) : null;
  }

  /** `kill -9` of the API and every worker, as a crash of their machine. */
  async kill(): Promise<void> {
    await Promise.all([...this.workers, this.api].filter(Boolean).map((p) => stopProcess(p!, 'SIGKILL')));
    this.workers = [];
  }

  async stop(): Promise<void> {
    await Promise.all([...this.workers, this.api].filter(Boolean).map((p) => stopProcess(p!, 'SIGTERM')));
    this.workers = [];
  }

  private spawn(role: string, script: string): ChildProcess {
    const logFile = path.join(testEnv().logDir, `${this.name}-${role}.log`);
    const child = spawn(process.execPath, [script], { cwd: ROOT, env: this.env, stdio: ['ignore', 'pipe', openSync(logFile, 'a')] });
    child.stdout?.pipe(createWriteStream(logFile, { flags: 'a' }));
    return child;
  }

  private async waitForHealth(): Promise<void> {
    const deadline = Date.now() + 30000;
    let last = '';
    while (Date.now() < deadline) {
      if (this.api?.exitCode !== null) throw new Error(`API exited with code ${this.api?.exitCode}; see ${this.name}-api.log`);
      try {
        const res = await fetch(`${this.baseUrl}/health`);
        if (res.status === 200) return;
        last = await res.text();
      } catch (err) {
        last = (err as Error).message;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`API not healthy within 30 s: ${last}`);
  }
}

function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.kill(signal);
  });
}
