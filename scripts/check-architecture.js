'use strict';
// The arrows of the architecture (the README's "Architecture"), checked on the resolved import graph of
// src/: which folder may import which, and no import cycle anywhere. `npm test` runs it after the linter.
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

/** Each top-level part of src/ and the parts it may import (besides itself). */
const ALLOWED = {
  contracts: [],
  config: [],
  domain: [],
  db: ['contracts', 'domain', 'config'],
  infra: ['contracts', 'domain', 'db', 'config'],
  workflows: ['contracts'],
  activities: ['contracts', 'domain', 'infra', 'db', 'config'],
  api: ['contracts', 'domain', 'infra', 'db', 'config'],
  worker: ['contracts', 'activities', 'infra', 'db', 'config'],
};

/** `api/invoices/x.ts` → `api`; `config.ts` → `config`. */
function partOf(file) {
  const first = file.split('/')[0];
  return first.replace(/(\.spec)?\.ts$/, '');
}

/** The graph's violations: imports across a forbidden arrow, and cycles. Pure, for the spec. */
function violations(graph, cycles) {
  const problems = [];
  for (const [file, deps] of Object.entries(graph)) {
    if (file.endsWith('.spec.ts')) continue;
    const from = partOf(file);
    const allowed = ALLOWED[from];
    if (!allowed) {
      problems.push(`${file}: src/${from} is not a known part of the architecture (add it to scripts/check-architecture.js)`);
      continue;
    }
    for (const dep of deps) {
      const to = partOf(dep);
      if (to !== from && !allowed.includes(to)) problems.push(`${file} imports ${dep}: src/${from} may not import src/${to}`);
    }
  }
  for (const cycle of cycles) problems.push(`import cycle: ${[...cycle, cycle[0]].join(' → ')}`);
  return problems;
}

async function main() {
  const { default: madge } = await import('madge');
  const result = await madge(path.join(ROOT, 'src'), {
    fileExtensions: ['ts'],
    tsConfig: path.join(ROOT, 'tsconfig.json'),
    detectiveOptions: { ts: { skipTypeImports: false }, tsx: { skipTypeImports: false } },
  });
  const graph = result.obj();
  const problems = violations(graph, result.circular());
  if (problems.length) {
    console.error(`[relance] the architecture's arrows are broken (${problems.length}):\n  ${problems.join('\n  ')}`);
    return 1;
  }
  console.log(`[relance] architecture: ${Object.keys(graph).length} files, every import along an allowed arrow, no cycle`);
  return 0;
}

if (require.main === module) {
  main().then((code) => { process.exitCode = code; }, (err) => { console.error(err); process.exitCode = 1; });
}

module.exports = { ALLOWED, violations };
