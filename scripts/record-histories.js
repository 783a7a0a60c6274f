'use strict';
// `npm run histories:record`: records test/histories/*.json again from the current workflow code (test/replay/
// histories.record.ts), on the time-skipping test server, which Jest starts; no Postgres, no dev server.
const { step } = require('./lib/log');
const provision = require('./lib/provision');
const { runToCompletion } = require('./lib/session');

async function main() {
  provision.ensureDependencies();
  const { testServer } = provision.ensureTemporalBinaries();
  step('recording the workflow histories into test/histories/');
  return provision.jest(['--testMatch', '**/test/replay/histories.record.ts', ...process.argv.slice(2)],
    { TEMPORAL_TEST_SERVER_PATH: testServer });
}

runToCompletion('record the workflow histories', main);
