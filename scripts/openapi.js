'use strict';
// `npm run openapi`: writes openapi.json (the document /docs-json serves) and the client types generated from it,
// console/src/api/schema.ts, which the console and the generated-client e2e test use. Both are committed: a contract change shows
// in review, and test/e2e/openapi-contract.e2e.test.ts fails when either is stale.
const path = require('node:path');
const { fail, step } = require('./lib/log');
const procs = require('./lib/procs');
const provision = require('./lib/provision');

const SCHEMA_TYPES = path.join('console', 'src', 'api', 'schema.ts');

provision.build();
step('writing openapi.json');
if (procs.run(process.execPath, ['dist/api/openapi.js'], { cwd: provision.ROOT }) !== 0) fail('could not build the OpenAPI document');
step(`generating ${SCHEMA_TYPES} (openapi-typescript)`);
const cli = path.join(provision.ROOT, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');
if (procs.run(process.execPath, [cli, 'openapi.json', '--output', SCHEMA_TYPES, '--default-non-nullable=false'], { cwd: provision.ROOT }) !== 0) {
  fail('openapi-typescript could not generate the client types');
}
