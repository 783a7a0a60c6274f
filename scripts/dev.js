'use strict';
// `npm run dev`: the whole stack on this machine. Starts what is not configured by environment
// (PostgreSQL, the Temporal dev server with its Web UI, a mail catcher), migrates, then runs the
// worker and the API. Ctrl-C stops every child; data persists in .data/ between runs.
const fs = require('node:fs');
const path = require('node:path');
const { step, ProvisionError } = require('./lib/log');
const procs = require('./lib/procs');
const provision = require('./lib/provision');

const stops = [];
let stopping = false;

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  step('stopping');
  await procs.stopAll();
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
  process.exit(code);
}

async function main() {
  provision.ensureDependencies();
  const { cli } = provision.ensureTemporalBinaries();
  provision.build();
  fs.mkdirSync(path.join(provision.DATA, 'logs'), { recursive: true });
  const logs = path.join(provision.DATA, 'logs');

  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    const port = Number(process.env.RELANCE_PG_PORT ?? 54329);
    step(`starting PostgreSQL (embedded) on ${port}`);
    const pg = await provision.startPostgres({
      dataDir: path.join(provision.DATA, 'postgres'), port, database: 'relance', fresh: false,
    });
    stops.push(pg.stop);
    databaseUrl = pg.url;
  }
  let temporalAddress = process.env.TEMPORAL_ADDRESS;
  let temporalUi = process.env.TEMPORAL_UI_URL ?? null;
  if (!temporalAddress) {
    step('starting the Temporal dev server on 7233 (Web UI on 8233)');
    const temporal = await provision.startTemporal({
      cli, port: 7233, uiPort: 8233, dbFile: path.join(provision.DATA, 'temporal.db'),
      logFile: path.join(logs, 'temporal.log'),
    });
    temporalAddress = temporal.address;
    temporalUi = 'http://127.0.0.1:8233';
  }
  let smtpUrl = process.env.SMTP_URL;
  let mailView = null;
  if (!smtpUrl) {
    step('starting the mail catcher (SMTP 1025, web 1080)');
    const mail = await provision.startMailCatcher({ smtpPort: 1025, httpPort: 1080, logFile: path.join(logs, 'mail.log') });
    smtpUrl = mail.smtpUrl;
    mailView = mail.webUrl;
  }
  const port = process.env.PORT ?? '3000';
  const env = {
    DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporalAddress, SMTP_URL: smtpUrl, PORT: port,
    TEMPORAL_NAMESPACE: process.env.TEMPORAL_NAMESPACE ?? 'default',
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
  console.log(`
  Relance is running
    API            http://127.0.0.1:${port}/v1
    OpenAPI        http://127.0.0.1:${port}/docs
    Health         http://127.0.0.1:${port}/health
    Temporal UI    ${temporalUi ?? `(external Temporal at ${temporalAddress})`}
    Mail catcher   ${mailView ?? `(external SMTP at ${smtpUrl})`}
  Ctrl-C stops everything; data stays in .data/
`);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => shutdown(0));

main().catch((err) => {
  if (err instanceof ProvisionError) console.error(`[relance] cannot start: ${err.message}`);
  else console.error(err);
  shutdown(1);
});
