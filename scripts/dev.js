'use strict';
// `npm run dev`: the whole stack on this machine. Starts what is not configured by environment
// (PostgreSQL, the Temporal dev server with its Web UI, MailDev to catch the mail), migrates, then runs the
// worker and the API. Ctrl-C stops every child within 5 s; data persists in .data/ between runs.
//
// Children never outlive the launcher: .data/dev-stack.json lists the launcher and every child it started, and a
// detached watchdog stops them when the launcher dies without doing so (SIGKILL, a closed terminal). Should the
// watchdog be gone too, the next start stops what the file lists before starting anything. A port held by anything
// else is refused in one line naming the port and its process.
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { step, fail, ProvisionError } = require('./lib/log');
const procs = require('./lib/procs');
const provision = require('./lib/provision');
const stackState = require('./lib/stack-state');

// RELANCE_DEV_DATA and the RELANCE_*_PORT variables let a second stack (the launcher's own test) run beside yours.
const DATA = process.env.RELANCE_DEV_DATA ? path.resolve(process.env.RELANCE_DEV_DATA) : provision.DATA;
const STATE_FILE = path.join(DATA, 'dev-stack.json');
const ports = {
  postgres: Number(process.env.RELANCE_PG_PORT ?? 54329),
  temporal: Number(process.env.RELANCE_TEMPORAL_PORT ?? 7233),
  temporalUi: Number(process.env.RELANCE_TEMPORAL_UI_PORT ?? 8233),
  smtp: Number(process.env.RELANCE_MAIL_SMTP_PORT ?? 1025),
  mailWeb: Number(process.env.RELANCE_MAIL_HTTP_PORT ?? 1080),
  api: Number(process.env.PORT ?? 3000),
  inboundSmtp: Number(process.env.INBOUND_SMTP_PORT ?? 2525),
};
const STOP_BUDGET_MS = 4000;

const stops = [];
const state = { launcher: stackState.record('launcher', process.pid), children: [] };
let stopping = false;
let owner = false;

function saveState() {
  stackState.write(STATE_FILE, state);
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  step('stopping');
  const started = Date.now();
  await procs.stopAll({ budgetMs: STOP_BUDGET_MS - 1000 });
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
  if (owner) fs.rmSync(STATE_FILE, { force: true });
  step(`stopped in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exit(code);
}

/** Refuses to run beside a live launcher of this data directory; stops what a dead one left running. */
async function takeOver() {
  const previous = stackState.read(STATE_FILE);
  if (previous && stackState.alive(previous.launcher)) {
    fail(`another \`npm run dev\` (pid ${previous.launcher.pid}) runs on ${path.relative(provision.ROOT, DATA) || DATA}: ` +
      'stop it first (Ctrl-C in its terminal)');
  }
  if (previous) {
    const stopped = await stackState.stopListed(previous);
    if (stopped.length) step(`stopped what a previous launcher (pid ${previous.launcher?.pid}, gone) left running: ${stopped.join(', ')}`);
  }
  owner = true;
  saveState();
  procs.onStart((child) => {
    state.children.push({ ...stackState.record(child.relanceName, child.pid), group: true });
    saveState();
  });
  const watchdog = spawn(process.execPath, [path.join(__dirname, 'lib', 'stack-watchdog.js'), STATE_FILE],
    { detached: true, stdio: 'ignore' });
  watchdog.unref();
  state.watchdog = stackState.record('watchdog', watchdog.pid);
  saveState();
}

/** Before anything starts: each port the stack is to listen on must be free (our own leftovers are stopped by now). */
async function refuseHeldPorts() {
  if (!process.env.DATABASE_URL) await procs.ensurePortFree(ports.postgres, 'PostgreSQL', 'set RELANCE_PG_PORT or DATABASE_URL');
  if (!process.env.TEMPORAL_ADDRESS) {
    await procs.ensurePortFree(ports.temporal, 'the Temporal dev server', 'set RELANCE_TEMPORAL_PORT or TEMPORAL_ADDRESS');
    await procs.ensurePortFree(ports.temporalUi, 'the Temporal Web UI', 'set RELANCE_TEMPORAL_UI_PORT');
  }
  if (!process.env.SMTP_URL) {
    await procs.ensurePortFree(ports.smtp, 'the mail catcher\'s SMTP', 'set RELANCE_MAIL_SMTP_PORT or SMTP_URL');
    await procs.ensurePortFree(ports.mailWeb, 'the mail catcher\'s web view', 'set RELANCE_MAIL_HTTP_PORT or SMTP_URL');
  }
  await procs.ensurePortFree(ports.api, 'the API', 'set PORT');
  await procs.ensurePortFree(ports.inboundSmtp, 'the inbound mail listener', 'set INBOUND_SMTP_PORT');
}

async function main() {
  provision.ensureDependencies();
  const { cli } = provision.ensureTemporalBinaries();
  provision.build();
  fs.mkdirSync(path.join(DATA, 'logs'), { recursive: true });
  const logs = path.join(DATA, 'logs');
  await takeOver();
  await refuseHeldPorts();

  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    step(`starting PostgreSQL (embedded) on ${ports.postgres}`);
    const pg = await provision.startPostgres({
      dataDir: path.join(DATA, 'postgres'), port: ports.postgres, database: 'relance', fresh: false,
      onProcess: (pid) => {
        state.children.push({ ...stackState.record('postgres', pid), group: false });
        saveState();
      },
    });
    stops.push(pg.stop);
    databaseUrl = pg.url;
  }
  let temporalAddress = process.env.TEMPORAL_ADDRESS;
  let temporalUi = process.env.TEMPORAL_UI_URL ?? null;
  if (!temporalAddress) {
    step(`starting the Temporal dev server on ${ports.temporal} (Web UI on ${ports.temporalUi})`);
    const temporal = await provision.startTemporal({
      cli, port: ports.temporal, uiPort: ports.temporalUi, dbFile: path.join(DATA, 'temporal.db'),
      logFile: path.join(logs, 'temporal.log'),
    });
    temporalAddress = temporal.address;
    temporalUi = `http://127.0.0.1:${ports.temporalUi}`;
  }
  let smtpUrl = process.env.SMTP_URL;
  let mailView = null;
  if (!smtpUrl) {
    step(`starting MailDev (SMTP ${ports.smtp}, web ${ports.mailWeb})`);
    const mail = await provision.startMailDev({
      smtpPort: ports.smtp, httpPort: ports.mailWeb, mailDir: path.join(DATA, 'mail'), logFile: path.join(logs, 'mail.log'),
    });
    smtpUrl = mail.smtpUrl;
    mailView = mail.webUrl;
  }
  const port = String(ports.api);
  const env = {
    DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporalAddress, SMTP_URL: smtpUrl, PORT: port,
    TEMPORAL_NAMESPACE: process.env.TEMPORAL_NAMESPACE ?? 'default',
    RELANCE_SECRET_KEYS: provision.localSecretKeys(DATA),
    // Replies and bounces come back to every customer email's own address there, through the inbound listener below.
    INBOUND_DOMAIN: process.env.INBOUND_DOMAIN ?? 'inbound.relance.local',
    RELANCE_INBOUND_SECRET: process.env.RELANCE_INBOUND_SECRET ?? require('node:crypto').randomBytes(32).toString('hex'),
  };
  provision.migrate(env);

  step('starting the worker and the API');
  const worker = procs.start('worker', process.execPath, ['dist/worker/main.js'], { env, cwd: provision.ROOT });
  const api = procs.start('api', process.execPath, ['dist/api/main.js'], { env, cwd: provision.ROOT });
  for (const child of [worker, api]) {
    child.on('exit', (code) => {
      if (!stopping) {
        console.error(`[relance] the ${child.relanceName} exited (code ${code}); stopping the stack`);
        shutdown(1);
      }
    });
  }
  await procs.waitForPort(Number(port), { child: api, what: 'the API', timeoutMs: 60000 });
  const inbound = procs.start('inbound-smtp', process.execPath, [path.join('scripts', 'inbound-smtp.js')], {
    env: {
      INBOUND_SMTP_PORT: String(ports.inboundSmtp), RELANCE_API_URL: `http://127.0.0.1:${port}`, RELANCE_INBOUND_SECRET: env.RELANCE_INBOUND_SECRET,
    },
    cwd: provision.ROOT,
  });
  await procs.waitForPort(ports.inboundSmtp, { child: inbound, what: 'the inbound mail listener', timeoutMs: 15000 });
  console.log(`
  Relance is running
    Console        http://127.0.0.1:${port}/app (sign in with an email link: it arrives in the mail view below)
    API            http://127.0.0.1:${port}/v1
    OpenAPI        http://127.0.0.1:${port}/docs
    Health         http://127.0.0.1:${port}/health
    Temporal UI    ${temporalUi ?? `(external Temporal at ${temporalAddress})`}
    Mail (MailDev) ${mailView ?? `(external SMTP at ${smtpUrl})`}
    Inbound mail   smtp://127.0.0.1:${ports.inboundSmtp} (replies and bounces to *@${env.INBOUND_DOMAIN}, posted to the API)
  Ctrl-C stops everything; data stays in .data/
`);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => shutdown(0));

main().catch((err) => {
  if (err instanceof ProvisionError) console.error(`[relance] cannot start: ${err.message}`);
  else console.error(err);
  shutdown(1);
});
