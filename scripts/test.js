'use strict';
// `npm test`: provisions what the tests need (dependencies, Temporal binaries, PostgreSQL, the Temporal
// dev server, an SMTP listener), builds, migrates, runs every Jest suite, then stops everything it started.
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { step, ProvisionError } = require('./lib/log');
const procs = require('./lib/procs');
const provision = require('./lib/provision');

const stops = [];
let stopping = false;

async function shutdown() {
  if (stopping) return;
  stopping = true;
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
  await procs.stopAll();
}

function runJest(args, env) {
  return new Promise((resolve) => {
    const jest = spawn(process.execPath, [path.join(provision.ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), ...args], {
      cwd: provision.ROOT,
      env: { ...process.env, ...env },
      stdio: 'inherit',
    });
    jest.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main() {
  const started = Date.now();
  provision.ensureDependencies();
  const { cli, testServer } = provision.ensureTemporalBinaries();
  provision.ensureDockerCompose();
  provision.build();
  step('linting');
  if (procs.run(process.execPath, [path.join(provision.ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'), '.'],
    { cwd: provision.ROOT }) !== 0) return 1;

  fs.mkdirSync(provision.DATA, { recursive: true });
  const logDir = path.join(provision.DATA, 'test-logs');
  fs.rmSync(logDir, { recursive: true, force: true });
  fs.mkdirSync(logDir, { recursive: true });

  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    step('starting PostgreSQL (embedded)');
    const pg = await provision.startPostgres({
      dataDir: path.join(provision.DATA, 'test-postgres'),
      port: await procs.freePort(),
      database: 'relance_test',
      fresh: true,
    });
    stops.push(pg.stop);
    databaseUrl = pg.url;
  }
  let temporalAddress = process.env.TEMPORAL_ADDRESS;
  if (!temporalAddress) {
    step('starting the Temporal dev server');
    const temporal = await provision.startTemporal({
      cli, port: await procs.freePort(), headless: true, logFile: path.join(logDir, 'temporal.log'),
    });
    temporalAddress = temporal.address;
  }
  step('starting the SMTP listener');
  const mail = await provision.startMailCatcher({
    smtpPort: await procs.freePort(), httpPort: await procs.freePort(), logFile: path.join(logDir, 'mail.log'),
  });

  const env = {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: process.env.TEMPORAL_NAMESPACE ?? 'default',
    SMTP_URL: mail.smtpUrl,
    MAIL_CATCHER_URL: mail.webUrl,
    TEMPORAL_CLI_PATH: cli,
    TEMPORAL_TEST_SERVER_PATH: testServer,
    RELANCE_TEST_LOG_DIR: logDir,
  };
  provision.migrate(env);

  const resultsFile = path.join(provision.DATA, 'jest-results.json');
  fs.rmSync(resultsFile, { force: true });
  step(`provisioned in ${((Date.now() - started) / 1000).toFixed(1)} s; running Jest`);
  const code = await runJest(['--json', `--outputFile=${resultsFile}`, ...process.argv.slice(2)], env);
  if (fs.existsSync(resultsFile)) {
    const r = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
    console.log(`\ntests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
  }
  step(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return code;
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => shutdown().then(() => process.exit(130)));
}

main()
  .catch((err) => {
    if (err instanceof ProvisionError) console.error(`[relance] cannot run the tests: ${err.message}`);
    else console.error(err);
    return 1;
  })
  .then(async (code) => {
    await shutdown();
    process.exit(code);
  });
