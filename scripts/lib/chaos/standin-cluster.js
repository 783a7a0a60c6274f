'use strict';
// A stand-in for scripts/lib/cluster.js with its interface, until the real cluster (a Temporal server on Postgres)
// lands: an embedded PostgreSQL of its own (its data kept across a kill), the Temporal dev server keeping its state in a
// SQLite file, the mail catcher, and API and worker processes from dist/. Every target can be killed and started again.
const fs = require('node:fs');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const readline = require('node:readline');
const procs = require('../procs');
const provision = require('../provision');

async function startCluster({ name, apis = 2, workers = 2, log = () => undefined, env: extraEnv = {} }) {
  const dir = path.join(provision.DATA, `chaos-${name}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const logDir = path.join(dir, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const { cli } = provision.ensureTemporalBinaries();

  // PostgreSQL in a process of its own that obeys `kill` (SIGKILL of the postmaster) and `start` on stdin.
  const pgPort = await procs.freePort();
  const pgChild = spawn(process.execPath, [path.join(provision.ROOT, 'test', 'support', 'own-postgres-process.js'), path.join(dir, 'postgres'), String(pgPort)],
    { cwd: provision.ROOT, stdio: ['pipe', 'pipe', 'inherit'], detached: true });
  const lines = readline.createInterface({ input: pgChild.stdout });
  const answers = [];
  let waiting;
  lines.on('line', (l) => {
    if (!l.startsWith('{')) return;
    answers.push(JSON.parse(l));
    waiting?.();
  });
  const nextAnswer = async () => {
    while (!answers.length) await new Promise((r) => (waiting = r));
    return answers.shift();
  };
  const pgCommand = async (line) => {
    pgChild.stdin.write(`${line}\n`);
    const answer = await nextAnswer();
    if (answer.done !== line) throw new Error(`PostgreSQL answered ${JSON.stringify(answer)} to ${line}`);
  };
  const { url: databaseUrl } = await nextAnswer();

  const temporalPort = await procs.freePort();
  const temporalAddress = `127.0.0.1:${temporalPort}`;
  const temporalArgs = ['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(temporalPort), '--namespace', 'default',
    '--db-filename', path.join(dir, 'temporal.db'), '--log-level', 'warn',
    '--dynamic-config-value', 'system.enableActivityEagerExecution=true'];
  for (const sa of provision.SEARCH_ATTRIBUTES) temporalArgs.push('--search-attribute', `${sa}=Keyword`);

  const mail = await provision.startMailCatcher({
    smtpPort: await procs.freePort(), httpPort: await procs.freePort(), logFile: path.join(logDir, 'mail.log'),
  });

  const env = {
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: 'default',
    SMTP_URL: mail.smtpUrl,
    MAIL_CATCHER_URL: mail.webUrl,
    RELANCE_SECRET_KEYS: provision.localSecretKeys(),
    ...extraEnv,
  };
  provision.migrate(env);

  const ports = {};
  for (let i = 1; i <= apis; i += 1) ports[`api-${i}`] = await procs.freePort();
  for (let i = 1; i <= workers; i += 1) ports[`worker-${i}`] = await procs.freePort();
  const children = {};
  const apiUrls = Array.from({ length: apis }, (_, i) => `http://127.0.0.1:${ports[`api-${i + 1}`]}`);

  async function startTemporal() {
    const child = procs.start('temporal', cli, temporalArgs, { logFile: path.join(logDir, 'temporal.log') });
    children.temporal = child;
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`the Temporal dev server exited with code ${child.exitCode}`);
      const r = spawnSync(cli, ['operator', 'search-attribute', 'list', '--address', temporalAddress, '--namespace', 'default'], { encoding: 'utf8' });
      if (r.status === 0 && provision.SEARCH_ATTRIBUTES.every((a) => r.stdout.includes(a))) return;
      await new Promise((res) => setTimeout(res, 300));
    }
    throw new Error(`the Temporal dev server did not answer on ${temporalAddress} within 90 s`);
  }

  async function startApi(target) {
    const logFile = path.join(logDir, `${target}.log`);
    const child = procs.start(target, process.execPath, ['dist/api/main.js'], { cwd: provision.ROOT, env: { ...env, PORT: String(ports[target]) }, logFile });
    children[target] = child;
    const url = `http://127.0.0.1:${ports[target]}/health`;
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`${target} exited with code ${child.exitCode}; see ${logFile}`);
      const ok = await fetch(url, { signal: AbortSignal.timeout(2000) }).then((r) => r.status === 200, () => false);
      if (ok) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${target} was not healthy within 90 s; see ${logFile}`);
  }

  async function startWorker(target) {
    const logFile = path.join(logDir, `${target}.log`);
    const from = fs.existsSync(logFile) ? fs.statSync(logFile).size : 0;
    const child = procs.start(target, process.execPath, ['dist/worker/main.js'],
      { cwd: provision.ROOT, env: { ...env, WORKER_METRICS_PORT: String(ports[target]) }, logFile });
    children[target] = child;
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`${target} exited with code ${child.exitCode}; see ${logFile}`);
      const fd = fs.openSync(logFile, 'r');
      const size = fs.fstatSync(fd).size;
      const buf = Buffer.alloc(Math.max(0, size - from));
      fs.readSync(fd, buf, 0, buf.length, from);
      fs.closeSync(fd);
      if (buf.toString().includes('polling task queue')) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${target} did not poll within 90 s; see ${logFile}`);
  }

  async function start(target) {
    if (target === 'postgres') return pgCommand('start');
    if (target === 'temporal') return startTemporal();
    if (target.startsWith('api-')) return startApi(target);
    if (target.startsWith('worker-')) return startWorker(target);
    throw new Error(`no target ${target}`);
  }

  async function kill(target) {
    if (target === 'postgres') return pgCommand('kill');
    const child = children[target];
    if (!child || child.exitCode !== null || child.signalCode !== null) return undefined;
    const exited = new Promise((r) => child.once('exit', r));
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
    return exited;
  }

  async function stop() {
    for (const target of Object.keys(children).reverse()) {
      if (target !== 'temporal') await procs.stop(children[target]);
    }
    if (children.temporal) await procs.stop(children.temporal);
    await procs.stop(mail.child);
    const exited = new Promise((r) => pgChild.once('exit', r));
    pgChild.stdin.write('exit\n');
    await exited;
  }

  log(`stand-in cluster: PostgreSQL on ${pgPort}, the Temporal dev server on ${temporalAddress} (SQLite), ${apis} APIs, ${workers} workers`);
  await startTemporal();
  for (let i = 1; i <= workers; i += 1) await startWorker(`worker-${i}`);
  for (let i = 1; i <= apis; i += 1) await startApi(`api-${i}`);

  return {
    env,
    apiUrls,
    logDir,
    targets: () => [...Array.from({ length: apis }, (_, i) => `api-${i + 1}`), ...Array.from({ length: workers }, (_, i) => `worker-${i + 1}`), 'temporal', 'postgres'],
    kill,
    start,
    stop,
  };
}

module.exports = { startCluster };
