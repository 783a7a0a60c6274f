'use strict';
// `npm test`: provisions what the tests need (dependencies, Temporal binaries, PostgreSQL, the Temporal
// dev server, an SMTP listener), builds, migrates, runs every Jest suite, then stops everything it started.
const fs = require('node:fs');
const path = require('node:path');
const { step } = require('./lib/log');
const procs = require('./lib/procs');
const provision = require('./lib/provision');
const { runToCompletion } = require('./lib/session');


async function main({ onStop }) {
  const started = Date.now();
  provision.ensureDependencies();
  const { cli, testServer } = provision.ensureTemporalBinaries();
  provision.ensureDockerCompose();
  const promtool = provision.ensurePromtool();
  const chromium = provision.ensureChromium();
  const schemathesis = provision.ensureSchemathesis();
  const pythonClient = provision.ensureOpenApiPythonClient();
  provision.build();
  step('linting');
  if (procs.run(process.execPath, [path.join(provision.ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'), '.'],
    { cwd: provision.ROOT }) !== 0) return 1;
  step('checking the architecture (import arrows, no cycles)');
  if (procs.run(process.execPath, [path.join(provision.ROOT, 'scripts', 'check-architecture.js')], { cwd: provision.ROOT }) !== 0) return 1;
  // ts-jest compiles each file alone (isolatedModules) and so does not type-check: tests, benches and sources are
  // checked together here, then the console (its own DOM and JSX settings) against the API's generated types.
  step('type-checking');
  if (provision.tsc('-p', 'tsconfig.json', '--noEmit') !== 0) return 1;
  if (provision.tsc('-p', path.join('console', 'tsconfig.json')) !== 0) return 1;

  fs.mkdirSync(provision.DATA, { recursive: true });
  const logDir = path.join(provision.DATA, 'test-logs');
  fs.rmSync(logDir, { recursive: true, force: true });
  fs.mkdirSync(logDir, { recursive: true });

  const services = await provision.startEphemeralServices({ cli, name: 'test', logDir, onStop });
  const env = {
    ...services,
    NODE_ENV: 'test',
    TEMPORAL_CLI_PATH: cli,
    TEMPORAL_TEST_SERVER_PATH: testServer,
    PROMTOOL: promtool,
    CHROMIUM_PATH: chromium,
    RELANCE_TEST_LOG_DIR: logDir,
    RELANCE_SECRET_KEYS: provision.localSecretKeys(),
    ...schemathesis,
    ...pythonClient,
  };
  provision.migrate(env);

  const resultsFile = path.join(provision.DATA, 'jest-results.json');
  fs.rmSync(resultsFile, { force: true });
  step(`provisioned in ${((Date.now() - started) / 1000).toFixed(1)} s; running Jest`);
  const code = await provision.jest(['--json', `--outputFile=${resultsFile}`, ...process.argv.slice(2)], env);
  if (fs.existsSync(resultsFile)) {
    const r = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
    console.log(`\ntests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
  }
  step(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return code;
}

runToCompletion('run the tests', main);
