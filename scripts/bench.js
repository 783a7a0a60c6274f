'use strict';
// `npm run bench:api` (or `node scripts/bench.js bench/<name>.ts`): provisions what `npm test` provisions
// (PostgreSQL in a fresh database, the Temporal dev server, an SMTP listener), builds the app into dist/, compiles
// bench/ into dist-bench/, migrates, runs the benchmark with that environment, then stops everything it started.
const fs = require('node:fs');
const path = require('node:path');
const { step, fail } = require('./lib/log');
const procs = require('./lib/procs');
const provision = require('./lib/provision');
const { runToCompletion } = require('./lib/session');



async function main({ onStop }) {
  const file = process.argv[2];
  if (!file || !/^bench\/[\w-]+\.ts$/.test(file) || !fs.existsSync(path.join(provision.ROOT, file))) {
    fail(`give the benchmark to run, e.g. \`node scripts/bench.js bench/api.ts\` (got ${JSON.stringify(file ?? '')})`);
  }
  const { cli } = provision.ensureTemporalBinaries();
  provision.build();
  step('compiling bench/ into dist-bench/');
  fs.rmSync(path.join(provision.ROOT, 'dist-bench'), { recursive: true, force: true });
  if (provision.tsc('-p', 'tsconfig.bench.json') !== 0) fail('compiling the benchmarks failed (see the errors above)');

  const logDir = path.join(provision.DATA, 'bench-logs');
  fs.mkdirSync(logDir, { recursive: true });
  // BENCH_PG_STATEMENTS=1: Postgres counts every statement (pg_stat_statements), for bench:approvals' statements per approval.
  const postgresSettings = process.env.BENCH_PG_STATEMENTS ? { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track': 'all' } : {};
  const services = await provision.startEphemeralServices({ cli, name: 'bench', logDir, onStop, postgresSettings });
  // bench:scale signs up its companies by the thousand from 127.0.0.1, past the production limit of 10 an hour.
  const env = { RELANCE_SIGNUP_RATE: '1000000', ...services, RELANCE_SECRET_KEYS: provision.localSecretKeys() };
  // bench:console measures pages in the Chromium the browser tests use.
  if (file === 'bench/console.ts') env.CHROMIUM_PATH = provision.ensureChromium();
  provision.migrate(env);
  step(`running ${file}`);
  // Tracked like every child, so that stopping the bench stops it and the API/worker it spawned.
  return procs.runNode('benchmark', [path.join('dist-bench', file.replace(/\.ts$/, '.js')), ...process.argv.slice(3)], { cwd: provision.ROOT, env });
}

runToCompletion('run the benchmark', main);
