'use strict';
// `npm run bench:sweep`: provisions a private PostgreSQL, Temporal dev server and SMTP listener (like npm test),
// builds, migrates, compiles bench/sweep.ts and runs it; then stops everything it started.
const fs = require('node:fs');
const path = require('node:path');
const { step, ProvisionError } = require('./lib/log');
const procs = require('./lib/procs');
const provision = require('./lib/provision');

const stops = [];

async function main() {
  provision.ensureDependencies();
  const { cli } = provision.ensureTemporalBinaries();
  provision.build();
  const logDir = path.join(provision.DATA, 'bench-logs');
  fs.mkdirSync(logDir, { recursive: true });

  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    step('starting PostgreSQL (embedded)');
    const pg = await provision.startPostgres({
      dataDir: path.join(provision.DATA, 'bench-postgres'), port: await procs.freePort(), database: 'relance_bench', fresh: true,
    });
    stops.push(pg.stop);
    databaseUrl = pg.url;
  }
  let temporalAddress = process.env.TEMPORAL_ADDRESS;
  if (!temporalAddress) {
    step('starting the Temporal dev server');
    temporalAddress = (await provision.startTemporal({
      cli, port: await procs.freePort(), headless: true, logFile: path.join(logDir, 'temporal.log'),
    })).address;
  }
  step('starting the SMTP listener');
  const mail = await provision.startMailCatcher({
    smtpPort: await procs.freePort(), httpPort: await procs.freePort(), logFile: path.join(logDir, 'mail.log'),
  });
  const env = { DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporalAddress, SMTP_URL: mail.smtpUrl, NODE_ENV: 'production' };
  provision.migrate(env);

  step('compiling bench/sweep.ts');
  const out = path.join(provision.DATA, 'bench-build');
  fs.rmSync(out, { recursive: true, force: true });
  const tsc = require.resolve('typescript/bin/tsc', { paths: [provision.ROOT] });
  if (procs.run(process.execPath, [tsc, '--outDir', out, '--rootDir', '.', '--module', 'commonjs', '--target', 'ES2022',
    '--moduleResolution', 'node', '--esModuleInterop', '--experimentalDecorators', '--emitDecoratorMetadata', '--skipLibCheck',
    '--strict', '--types', 'node', 'bench/sweep.ts'], { cwd: provision.ROOT }) !== 0) return 1;

  step('running the sweep benchmark');
  return procs.run(process.execPath, [path.join(out, 'bench', 'sweep.js'), ...process.argv.slice(2)],
    { cwd: provision.ROOT, env: { ...process.env, ...env } });
}

main()
  .catch((err) => {
    if (err instanceof ProvisionError) console.error(`[relance] cannot run the benchmark: ${err.message}`);
    else console.error(err);
    return 1;
  })
  .then(async (code) => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await procs.stopAll();
    process.exit(code);
  });
