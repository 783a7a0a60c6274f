'use strict';
// The production topology on this machine: a Temporal server (built from its Go module, the version compose runs) on
// an embedded PostgreSQL that also holds the product's database, set up with the same scripts compose runs
// (ops/temporal/), then API and worker processes from dist/. Each process can be killed (SIGKILL) and started again on
// its port and data: `npm run test:cluster` and the chaos soak are built on it.
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const net = require('node:net');
const { execFile, spawnSync } = require('node:child_process');
const { promisify } = require('node:util');
const { step, fail } = require('./log');
const procs = require('./procs');
const provision = require('./provision');

const { ROOT, TOOLS, DATA } = provision;
const OPS = path.join(ROOT, 'ops', 'temporal');
/** What docker-compose.yml and this harness share: the server's version, its images, namespace, search attributes. */
const SERVER = JSON.parse(fs.readFileSync(path.join(OPS, 'server.json'), 'utf8'));
const SERVER_MODULE = 'go.temporal.io/server';
const execFileAsync = promisify(execFile);
/** How long a start may take, its dependencies coming back included (a target started while PostgreSQL is down). */
const START_BUDGET_MS = 120000;

/**
 * The Temporal server and its schema tool, built once from the Go module proxy into .tools/temporal-server-<version>/
 * (`go install`, about 3 minutes on two cores), with the schema files of that version beside them. Answers the paths.
 */
function ensureTemporalServer() {
  const dir = path.join(TOOLS, `temporal-server-${SERVER.version}`);
  const bin = path.join(dir, 'bin');
  const result = { server: path.join(bin, 'temporal-server'), sqlTool: path.join(bin, 'temporal-sql-tool'), schemaDir: path.join(dir, 'schema'), bin };
  const stamp = path.join(dir, '.built');
  if (fs.existsSync(stamp) && fs.existsSync(result.server) && fs.existsSync(result.sqlTool)) return result;
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) {
    fail(`Go is needed to build the Temporal server ${SERVER.version} (go install from the Go module proxy): install Go 1.25 or newer (a Go from 1.21 fetches that toolchain itself)`);
  }
  step(`building the Temporal server ${SERVER.version} and its schema tool into ${path.relative(ROOT, dir)} (go install, once: a few minutes)`);
  fs.mkdirSync(bin, { recursive: true });
  const started = Date.now();
  const install = spawnSync('go', ['install', `${SERVER_MODULE}/cmd/server@v${SERVER.version}`, `${SERVER_MODULE}/cmd/tools/sql@v${SERVER.version}`],
    { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, GOBIN: bin } });
  if (install.status !== 0) fail(`go install of ${SERVER_MODULE}@v${SERVER.version} failed (see above): the Go module proxy must be reachable`);
  const modDir = spawnSync('go', ['list', '-m', '-f', '{{.Dir}}', `${SERVER_MODULE}@v${SERVER.version}`], { encoding: 'utf8' }).stdout.trim();
  const schema = path.join(modDir, 'schema', 'postgresql');
  if (!modDir || !fs.existsSync(schema)) fail(`the schema files of ${SERVER_MODULE}@v${SERVER.version} are not in the Go module cache (${modDir})`);
  fs.rmSync(result.schemaDir, { recursive: true, force: true });
  fs.cpSync(schema, path.join(result.schemaDir, 'postgresql'), { recursive: true });
  writable(result.schemaDir); // the module cache's files are read-only: so would the copy be, and `rm -rf .tools` fail
  // go install names a binary after its package's directory; these are the names the images (and the scripts) use.
  for (const [from, to] of [['server', result.server], ['sql', result.sqlTool]]) {
    fs.rmSync(to, { force: true });
    fs.renameSync(path.join(bin, from), to);
  }
  fs.writeFileSync(stamp, `${new Date().toISOString()} in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  return result;
}

function writable(dir) {
  fs.chmodSync(dir, 0o755);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) writable(full);
    else fs.chmodSync(full, 0o644);
  }
}

/** The search attributes as the setup script takes them: `Name=Type`. */
function searchAttributeArgs() {
  return Object.entries(SERVER.searchAttributes).map(([name, type]) => `${name}=${type}`);
}

/** The server's own configuration: persistence and visibility on PostgreSQL, every service on 127.0.0.1. */
function serverConfig({ ports, pgPort, logLevel, pki }) {
  const store = (database, maxConns) => `
      sql:
        pluginName: "${SERVER.sqlPlugin}"
        databaseName: "${database}"
        connectAddr: "127.0.0.1:${pgPort}"
        connectProtocol: "tcp"
        user: "relance"
        password: "relance"
        maxConns: ${maxConns}
        maxIdleConns: ${maxConns}
        maxConnLifetime: "1h"`;
  const service = (name) => `
  ${name}:
    rpc:
      grpcPort: ${ports[`${name}Grpc`]}
      membershipPort: ${ports[`${name}Membership`]}
      bindOnLocalHost: true${name === 'frontend' ? `\n      httpPort: ${ports.frontendHttp}` : ''}`;
  return `# Written by scripts/lib/cluster.js for this cluster's ports.
log:
  stdout: true
  level: ${logLevel}
persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: 4
  datastores:
    default:${store(SERVER.databases.temporal, 20)}
    visibility:${store(SERVER.databases.visibility, 10)}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"
  metrics:
    prometheus:
      framework: "tally"
      timerType: "histogram"
      listenAddress: "127.0.0.1:${ports.metrics}"${pki ? tlsConfig(pki) : ''}
services:${['frontend', 'history', 'matching', 'worker'].map(service).join('')}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: "127.0.0.1:${ports.frontendGrpc}"
dcRedirectionPolicy:
  policy: "noop"
dynamicConfigClient:
  filepath: "${path.join(OPS, 'dynamicconfig.yaml')}"
  pollInterval: "10s"
`;
}

/**
 * The frontend asks every caller for a client certificate of the cluster's CA (mutual TLS); the server's own system
 * worker (schedules, among others) presents one too. Between the server's services the traffic stays plain (one host).
 */
function tlsConfig(pki) {
  const client = `
        serverName: "localhost"
        rootCaFiles: ["${pki.ca}"]`;
  return `
  tls:
    frontend:
      server:
        certFile: "${pki.serverCert}"
        keyFile: "${pki.serverKey}"
        clientCaFiles: ["${pki.ca}"]
        requireClientAuth: true
      client:${client}
    systemWorker:
      certFile: "${pki.clientCert}"
      keyFile: "${pki.clientKey}"
      client:${client}`;
}

function pkiFiles(dir) {
  const file = (name) => path.join(dir, name);
  return { dir, ca: file('ca.crt'), serverCert: file('server.crt'), serverKey: file('server.key'), clientCert: file('client.crt'), clientKey: file('client.key') };
}

/** A CA, the frontend's certificate (127.0.0.1 and localhost) and a client certificate, made by the openssl CLI in `dir`. */
function makePki(dir) {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const openssl = (...args) => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) fail(`openssl ${args[0]} failed (the openssl CLI makes the cluster's TLS certificates): ${(r.stderr || r.error?.message || '').trim()}`);
  };
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...newKey, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '30', '-subj', '/CN=relance-cluster-ca');
  const leaf = (name, extensions) => {
    openssl('req', ...newKey, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=relance-cluster-${name}`);
    fs.writeFileSync(path.join(dir, `${name}.ext`), `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\n${extensions}\n`);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '30', '-extfile', `${name}.ext`);
  };
  leaf('server', 'extendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost');
  leaf('client', 'extendedKeyUsage=clientAuth');
  return pkiFiles(dir);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function killAndWait(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    process.kill(-child.pid, 'SIGKILL'); // its process group: what it spawned dies with it
  } catch {
    /* gone meanwhile */
  }
  await exited;
}

/** Resolves once `pattern` appears in the log file after `offset`; rejects when the child exits first or time runs out. */
async function waitForLog(file, offset, pattern, child, what, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${what} exited (${child.exitCode ?? child.signalCode}) while starting; see ${path.relative(ROOT, file)}`);
    }
    const text = fs.readFileSync(file, 'utf8').slice(offset);
    if (pattern.test(text)) return;
    await sleep(100);
  }
  throw new Error(`${what} did not log ${pattern} within ${timeoutMs / 1000} s; see ${path.relative(ROOT, file)}`);
}

function fileSize(file) {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * Starts the whole topology; see /README.md "Running on a Temporal cluster". The caller builds dist/ first
 * (provision.build()). When anything fails half-way, what was started is stopped before the error is thrown.
 */
async function startCluster({ name = 'cluster', apis = 2, workers = 2, log = step, env: extraEnv = {}, fresh = true, logLevel = 'warn', tls = false } = {}) {
  const dir = path.join(DATA, `cluster-${name}`);
  const logDir = path.join(dir, 'logs');
  const { cli } = provision.ensureTemporalBinaries();
  const tools = ensureTemporalServer();
  const { from: pgFrom, dataDir: pgData } = provision.postgresPlacement(path.join(dir, 'postgres'));
  if (fresh) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(pgData, { recursive: true, force: true });
  }
  fs.mkdirSync(logDir, { recursive: true });
  fs.mkdirSync(path.join(dir, 'temporal', 'config'), { recursive: true });

  const port = () => procs.freePort();
  const ports = { postgres: await port(), smtp: await port(), mailHttp: await port() };
  // The server records its services' ports in a smallint column (cluster_membership): below 32768, where the kernel
  // hands out none of its own.
  const taken = new Set();
  for (const p of ['metrics', 'frontendHttp', ...['frontend', 'history', 'matching', 'worker'].flatMap((s) => [`${s}Grpc`, `${s}Membership`])]) {
    ports[p] = await freeLowPort(taken);
  }
  const apiPorts = [];
  for (let i = 0; i < apis; i += 1) apiPorts.push(await port());
  const workerMetricsPorts = [];
  for (let i = 0; i < workers; i += 1) workerMetricsPorts.push(await port());

  const targets = new Map(); // name -> { start(), kill(), isUp(), pid() }
  const children = new Map(); // name -> ChildProcess
  let pg;
  let mail;
  let stopped = false;

  // ---- PostgreSQL: one cluster, the product's database and Temporal's two; its data survives a kill.
  const startPostgres = async () => {
    if (!pg) {
      if (pgFrom) fs.mkdirSync(path.dirname(pgData), { recursive: true, mode: 0o755 });
      const { default: EmbeddedPostgres } = await provision.importEmbeddedPostgres(pgFrom);
      const logFile = path.join(logDir, 'postgres.log');
      const write = (m) => fs.appendFileSync(logFile, String(m).endsWith('\n') ? String(m) : `${m}\n`);
      pg = new EmbeddedPostgres({
        databaseDir: pgData, port: ports.postgres, user: 'relance', password: 'relance', persistent: true,
        createPostgresUser: process.getuid && process.getuid() === 0, onLog: write, onError: write,
        postgresFlags: ['-c', 'max_connections=300'],
      });
      if (!fs.existsSync(path.join(pgData, 'PG_VERSION'))) await pg.initialise();
    }
    // After a kill the orphaned backends may still hold the shared memory for a moment: the postmaster refuses to
    // start until they are gone.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await pg.start();
        break;
      } catch (err) {
        if (attempt >= 20) throw new Error(`PostgreSQL did not start on port ${ports.postgres}: ${err?.message ?? err}; see ${path.relative(ROOT, logDir)}/postgres.log`);
        await sleep(500);
      }
    }
  };
  const postmasterPid = () => {
    try {
      return Number(fs.readFileSync(path.join(pgData, 'postmaster.pid'), 'utf8').split('\n')[0]) || null;
    } catch {
      return null;
    }
  };
  targets.set('postgres', {
    start: startPostgres,
    pid: () => {
      const pid = postmasterPid();
      return pid && alive(pid) ? pid : null;
    },
    async kill() {
      const pid = postmasterPid();
      if (!pid || !alive(pid)) return;
      process.kill(pid, 'SIGKILL');
      while (alive(pid)) await sleep(50);
    },
  });

  // ---- The Temporal server, from its config file, with the dynamic config compose mounts.
  const configDir = path.join(dir, 'temporal', 'config');
  const pki = tls ? (fs.existsSync(path.join(dir, 'pki', 'client.crt')) ? pkiFiles(path.join(dir, 'pki')) : makePki(path.join(dir, 'pki'))) : null;
  fs.writeFileSync(path.join(configDir, 'cluster.yaml'), serverConfig({ ports, pgPort: ports.postgres, logLevel, pki }));
  const temporalAddress = `127.0.0.1:${ports.frontendGrpc}`;
  // The product's TEMPORAL_TLS_* (README, "Temporal security") and the temporal CLI's names for the same files.
  const tlsEnv = pki ? {
    TEMPORAL_TLS_CA: pki.ca, TEMPORAL_TLS_CERT: pki.clientCert, TEMPORAL_TLS_KEY: pki.clientKey, TEMPORAL_TLS_SERVER_NAME: 'localhost',
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.ca, TEMPORAL_TLS_CLIENT_CERT_PATH: pki.clientCert, TEMPORAL_TLS_CLIENT_KEY_PATH: pki.clientKey,
  } : {};
  const cliEnv = { ...process.env, ...tlsEnv, TEMPORAL_ADDRESS: temporalAddress, PATH: `${path.dirname(cli)}${path.delimiter}${tools.bin}${path.delimiter}${process.env.PATH}` };
  const temporalReady = async (timeoutMs = 120000) => {
    const deadline = Date.now() + timeoutMs;
    const child = children.get('temporal');
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`the Temporal server exited (${child.exitCode ?? child.signalCode}) while starting; see ${path.relative(ROOT, logDir)}/temporal.log`);
      }
      // Asynchronously: a chaos run's load goes on in this process while the server comes back.
      const listed = await execFileAsync(cli, ['operator', 'search-attribute', 'list', '--namespace', SERVER.namespace], { env: cliEnv, timeout: 10000 })
        .then((r) => r.stdout, () => '');
      if (Object.keys(SERVER.searchAttributes).every((a) => listed.includes(a))) return;
      await sleep(300);
    }
    throw new Error(`the Temporal server at ${temporalAddress} did not answer with its namespace within ${timeoutMs / 1000} s`);
  };
  const startTemporal = async ({ setup = false, deadline = Date.now() + START_BUDGET_MS } = {}) => {
    const child = procs.start('temporal', tools.server,
      ['--root', path.join(dir, 'temporal'), '--config', 'config', '--env', 'cluster', '--allow-no-auth', 'start'],
      { logFile: path.join(logDir, 'temporal.log'), cwd: path.join(dir, 'temporal') });
    children.set('temporal', child);
    await procs.waitForPort(ports.frontendGrpc, { child, what: 'the Temporal server', timeoutMs: Math.max(1000, deadline - Date.now()) });
    if (setup) await setupNamespace();
    await temporalReady(Math.max(1000, deadline - Date.now()));
  };
  const setupNamespace = async () => {
    // As the README tells users: the same script compose's temporal-search-attributes service runs.
    const r = await runScript('sh', [path.join(OPS, 'setup-namespace.sh'), SERVER.namespace, SERVER.retention, ...searchAttributeArgs()],
      { env: cliEnv, timeoutMs: 120000, logFile: path.join(logDir, 'setup.log') });
    if (r !== 0) throw new Error(`ops/temporal/setup-namespace.sh failed (exit ${r}); see ${path.relative(ROOT, logDir)}/setup.log`);
  };
  targets.set('temporal', processTarget('temporal', (deadline) => startTemporal({ deadline })));

  // ---- API and worker processes, from dist/, on one task queue.
  const secretKeys = provision.localSecretKeys(dir);
  const env = {
    DATABASE_URL: `postgres://relance:relance@127.0.0.1:${ports.postgres}/relance`,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: SERVER.namespace,
    TEMPORAL_TASK_QUEUE: 'relance',
    SMTP_URL: `smtp://127.0.0.1:${ports.smtp}`,
    MAIL_CATCHER_URL: `http://127.0.0.1:${ports.mailHttp}`,
    RELANCE_SECRET_KEYS: secretKeys,
    TEMPORAL_CLI_PATH: cli,
    TEMPORAL_METRICS_URL: `http://127.0.0.1:${ports.metrics}/metrics`,
    ...tlsEnv,
  };
  const apiUrls = apiPorts.map((p) => `http://127.0.0.1:${p}`);
  const processEnv = (extra) => ({
    ...env,
    PUBLIC_URL: apiUrls[0] ?? 'http://127.0.0.1:3000',
    // The test drivers call from 127.0.0.1 and receive webhooks there; the limits are per client address.
    RELANCE_WEBHOOK_ALLOW_PRIVATE: 'true',
    RELANCE_SIGNUP_RATE: '1000000',
    RELANCE_DELEGATION_RATE: '1000000',
    RELANCE_LINK_GUESS_RATE: '1000000',
    RELANCE_SIGNIN_RATE: '1000000',
    RELANCE_SIGNIN_CLIENT_RATE: '1000000',
    RELANCE_DECISION_RATE: '1000000',
    ...extra,
    ...extraEnv,
  });
  apiPorts.forEach((p, i) => {
    const target = `api-${i + 1}`;
    targets.set(target, processTarget(target, async (deadline) => {
      const child = procs.start(target, process.execPath, ['dist/api/main.js'],
        { cwd: ROOT, env: processEnv({ PORT: String(p) }), logFile: path.join(logDir, `${target}.log`) });
      children.set(target, child);
      await waitForHealth(apiUrls[i], child, target, logDir, deadline - Date.now());
    }));
  });
  workerMetricsPorts.forEach((p, i) => {
    const target = `worker-${i + 1}`;
    targets.set(target, processTarget(target, async (deadline) => {
      const logFile = path.join(logDir, `${target}.log`);
      const offset = fileSize(logFile);
      const child = procs.start(target, process.execPath, ['dist/worker/main.js'],
        { cwd: ROOT, env: processEnv({ WORKER_METRICS_PORT: String(p) }), logFile });
      children.set(target, child);
      await waitForLog(logFile, offset, /polling task queue/, child, target, deadline - Date.now());
    }));
  });

  /**
   * As a supervisor (compose's `restart:`) would: a process that exits while starting, as the Temporal server does
   * while PostgreSQL is down, is started again until it serves or START_BUDGET_MS has passed.
   */
  function processTarget(target, startOnce) {
    return {
      async start() {
        const deadline = Date.now() + START_BUDGET_MS;
        for (;;) {
          try {
            return await startOnce(deadline);
          } catch (err) {
            await killAndWait(children.get(target));
            if (stopped || Date.now() + 1000 > deadline) throw err;
            await sleep(1000);
          }
        }
      },
      pid: () => {
        const c = children.get(target);
        return c && c.exitCode === null && c.signalCode === null ? c.pid : null;
      },
      kill: () => killAndWait(children.get(target)),
    };
  }

  const cluster = {
    env,
    apiUrls,
    logDir,
    dataDir: dir,
    ports,
    pki,
    server: SERVER,
    targets: () => [...targets.keys()].filter((t) => t !== 'postgres' && t !== 'temporal').concat(['temporal', 'postgres']),
    isUp: (target) => targetOf(target).pid() !== null,
    pid: (target) => targetOf(target).pid(),
    async kill(target) {
      await targetOf(target).kill();
    },
    async start(target) {
      if (cluster.isUp(target)) throw new Error(`${target} is already running (pid ${cluster.pid(target)})`);
      await targetOf(target).start();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      const order = [...targets.keys()].filter((t) => t.startsWith('api-') || t.startsWith('worker-')).reverse();
      for (const t of order) if (children.get(t)) await procs.stop(children.get(t), 10000);
      if (children.get('temporal')) await procs.stop(children.get('temporal'), 10000);
      if (mail) await procs.stop(mail.child, 5000);
      if (pg) await stopPostgres(pg, postmasterPid);
    },
  };
  function targetOf(target) {
    const t = targets.get(target);
    if (!t) throw new Error(`no such target "${target}": ${cluster.targets().join(', ')}`);
    return t;
  }

  try {
    const timed = async (what, fn) => {
      const started = Date.now();
      log(`${what}`);
      await fn();
      log(`  ${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    };
    await timed(`starting PostgreSQL on 127.0.0.1:${ports.postgres} (${pgData.startsWith(ROOT) ? path.relative(ROOT, pgData) : pgData})`, startPostgres);
    await timed('creating the product\'s database and setting up Temporal\'s with its schema tool (ops/temporal/setup-schema.sh)', async () => {
      await createDatabase(pg, 'relance');
      const r = await runScript('sh', [path.join(OPS, 'setup-schema.sh'), tools.schemaDir, SERVER.databases.temporal, SERVER.databases.visibility], {
        env: { ...cliEnv, SQL_PLUGIN: SERVER.sqlPlugin, SQL_HOST: '127.0.0.1', SQL_PORT: String(ports.postgres), SQL_USER: 'relance', SQL_PASSWORD: 'relance' },
        timeoutMs: 180000, logFile: path.join(logDir, 'setup.log'),
      });
      if (r !== 0) throw new Error(`ops/temporal/setup-schema.sh failed (exit ${r}); see ${path.relative(ROOT, logDir)}/setup.log`);
    });
    await timed(`starting the Temporal server ${SERVER.version} on ${temporalAddress}${pki ? ' (mutual TLS)' : ''}, then its namespace and search attributes (ops/temporal/setup-namespace.sh)`,
      () => startTemporal({ setup: true }));
    await timed('starting the mail catcher', async () => {
      mail = await provision.startMailCatcher({ smtpPort: ports.smtp, httpPort: ports.mailHttp, logFile: path.join(logDir, 'mail.log') });
    });
    await timed('running the product\'s migrations', async () => {
      const r = await runScript(process.execPath, ['dist/db/migrate.js'], { env: { ...process.env, ...env }, cwd: ROOT, timeoutMs: 120000, logFile: path.join(logDir, 'migrate.log') });
      if (r !== 0) throw new Error(`migrations failed (exit ${r}); see ${path.relative(ROOT, logDir)}/migrate.log`);
    });
    const processes = [...targets.keys()].filter((t) => t.startsWith('worker-') || t.startsWith('api-'));
    await timed(`starting ${processes.join(', ')}`, async () => {
      for (const t of processes) await targets.get(t).start();
    });
  } catch (err) {
    await cluster.stop().catch(() => undefined);
    throw err;
  }
  return cluster;
}

/** A port from 20000 to 32767 that nothing listens on (nor was handed out here before). */
async function freeLowPort(taken) {
  for (;;) {
    const candidate = 20000 + crypto.randomInt(12768);
    if (taken.has(candidate)) continue;
    const free = await new Promise((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(candidate, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) {
      taken.add(candidate);
      return candidate;
    }
  }
}

/** Runs a command to its end as a tracked child (a Ctrl-C meanwhile stops it); answers its exit code. */
function runScript(command, args, { env, cwd, timeoutMs, logFile }) {
  return new Promise((resolve) => {
    const child = procs.start(path.basename(command), command, args, { env, cwd, logFile });
    const timer = setTimeout(() => killAndWait(child), timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

async function createDatabase(pg, database) {
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!exists.rowCount) await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
}

async function waitForHealth(url, child, what, logDir, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${what} exited (${child.exitCode ?? child.signalCode}) while starting; see ${path.relative(ROOT, logDir)}/${what}.log`);
    }
    try {
      const res = await fetch(`${url}/health`);
      if (res.status === 200) return;
      last = `${res.status} ${await res.text()}`;
    } catch (err) {
      last = err.message;
    }
    await sleep(200);
  }
  throw new Error(`${what} was not healthy within ${timeoutMs / 1000} s: ${last}`);
}

/** A fast shutdown (SIGINT to the postmaster); after 5 s an immediate one (SIGQUIT: the next start recovers). */
async function stopPostgres(pg, postmasterPid) {
  const pid = postmasterPid();
  if (!pid || !alive(pid)) return;
  pg.stop().catch(() => undefined);
  const deadline = Date.now() + 5000;
  while (alive(pid) && Date.now() < deadline) await sleep(50);
  if (alive(pid)) process.kill(pid, 'SIGQUIT');
  while (alive(pid)) await sleep(50);
}

/**
 * Lets another process (a Jest suite driven by `npm run test:cluster`) kill and start the cluster's targets:
 * `POST <url>/kill/<target>` and `POST <url>/start/<target>` with `Authorization: Bearer <token>`, on 127.0.0.1 only.
 * The token is random per run and handed over in the environment: whoever holds it may kill the cluster.
 */
async function serveControl(cluster) {
  const token = crypto.randomBytes(32).toString('hex');
  const expected = crypto.createHash('sha256').update(`Bearer ${token}`).digest();
  const http = require('node:http');
  const server = http.createServer(async (req, res) => {
    const given = crypto.createHash('sha256').update(String(req.headers.authorization ?? '')).digest();
    if (!crypto.timingSafeEqual(given, expected)) return void res.writeHead(401).end();
    const m = /^\/(kill|start)\/([\w-]+)$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !m || !cluster.targets().includes(m[2])) return void res.writeHead(404).end();
    const started = Date.now();
    try {
      await cluster[m[1]](m[2]);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ms: Date.now() - started }));
    } catch (err) {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: err.message }));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    token,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

module.exports = { startCluster, serveControl, ensureTemporalServer, serverConfig, searchAttributeArgs, SERVER };
