'use strict';
// `npm run test:replay`: replays test/histories/ against the workflow code (test/replay/). Replay needs no server:
// nothing is provisioned but the npm dependencies.
const provision = require('./lib/provision');
const { runToCompletion } = require('./lib/session');

async function main() {
  provision.ensureDependencies();
  return provision.jest(['test/replay', ...process.argv.slice(2)]);
}

runToCompletion('replay the workflow histories', main);
