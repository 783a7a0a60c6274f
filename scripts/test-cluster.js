'use strict';
// `npm run test:cluster`: the production topology, proved on this machine. Builds the Temporal server of
// ops/temporal/server.json (once, into .tools/), starts it on an embedded PostgreSQL set up by the scripts
// docker-compose.yml runs, two APIs and two workers (scripts/lib/cluster.js), every connection to the server over
// mutual TLS, then runs the proofs of test/cluster/ against them through both APIs. Stops everything at the end, on a failure and on Ctrl-C.
const path = require('node:path');
const { step } = require('./lib/log');
const provision = require('./lib/provision');
const { startCluster, serveControl, ensureTemporalServer, SERVER } = require('./lib/cluster');
const { runToCompletion } = require('./lib/session');

async function main({ onStop }) {
  const started = Date.now();
  const timed = (what, fn) => {
    const t = Date.now();
    const result = fn();
    step(`${what}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
    return result;
  };
  timed('npm dependencies', () => provision.ensureDependencies());
  const { testServer } = timed('the Temporal CLI', () => provision.ensureTemporalBinaries());
  timed(`the Temporal server ${SERVER.version}`, () => ensureTemporalServer());
  timed('the build', () => provision.build());

  const t = Date.now();
  const cluster = await startCluster({ name: 'test', tls: true });
  onStop(() => cluster.stop());
  step(`the cluster is up: ${((Date.now() - t) / 1000).toFixed(1)} s (logs in ${path.relative(provision.ROOT, cluster.logDir)})`);
  const control = await serveControl(cluster);
  onStop(() => control.close());

  step('running the proofs (test/cluster/)');
  const code = await provision.jest(['--testMatch', '**/test/cluster/*.cluster.ts', '--runInBand', '--verbose', ...process.argv.slice(2)], {
    ...cluster.env,
    NODE_ENV: 'test',
    TEMPORAL_TEST_SERVER_PATH: testServer,
    RELANCE_TEST_LOG_DIR: cluster.logDir,
    RELANCE_CLUSTER_API_URLS: cluster.apiUrls.join(','),
    RELANCE_CLUSTER_CONTROL_URL: control.url,
    RELANCE_CLUSTER_CONTROL_TOKEN: control.token,
  });
  step(`test:cluster ${code === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return code;
}

runToCompletion('run the cluster test', main);
