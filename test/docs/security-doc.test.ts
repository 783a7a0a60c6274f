import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const doc = readFileSync(path.join(ROOT, 'docs', 'security.md'), 'utf8');
const openapi = JSON.parse(readFileSync(path.join(ROOT, 'openapi.json'), 'utf8')) as { paths: Record<string, Record<string, unknown>> };

/** The rows of the markdown table that follows `heading`, as cells. */
function table(heading: string): string[][] {
  const start = doc.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`docs/security.md has no "${heading}" section`);
  const lines = doc.slice(start + heading.length + 2).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.slice(1, -1).split(' | ').map((c) => c.trim()));
  }
  return rows;
}

/** Served outside the OpenAPI document: the console's page and files, the documentation itself and the operators' endpoints. */
const UNDOCUMENTED_IN_OPENAPI = [
  'GET /app', 'GET /app/assets/:file',
  'GET /docs', 'GET /docs-json', 'GET /metrics', 'GET /metrics (worker)', 'POST /codec/decode', 'POST /codec/encode',
];

/**
 * docs/security.md is kept true by this test: its route table lists every route of openapi.json and the pages outside
 * it, and nothing else; each threat names the tests that prove its control, and those files exist.
 */
describe('docs/security.md', () => {
  const routes = table('## Routes and pages').map((cells) => cells[0].replace(/`/g, ''));

  it('lists every route and page once, and none that does not exist', () => {
    const served = Object.entries(openapi.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`));
    const expected = [...served, ...UNDOCUMENTED_IN_OPENAPI].sort();
    expect([...routes].sort()).toEqual(expected);
  });

  it('gives each route its credential, rate limit and what is redacted', () => {
    for (const cells of table('## Routes and pages')) {
      expect(cells).toHaveLength(4);
      expect(cells.every((c) => c.length > 0)).toBe(true);
    }
  });

  it('names, for each threat, tests that exist', () => {
    const threats = table('## Threats, controls and their tests');
    expect(threats.length).toBeGreaterThanOrEqual(12);
    for (const cells of threats) {
      const tests = [...cells[cells.length - 1].matchAll(/`((?:test|src)\/[^`:]+?\.(?:test|spec)\.ts)/g)].map((m) => m[1]);
      expect({ threat: cells[0], tests: tests.length > 0 }).toEqual({ threat: cells[0], tests: true });
      for (const file of tests) expect({ threat: cells[0], file, exists: existsSync(path.join(ROOT, file)) }).toEqual({ threat: cells[0], file, exists: true });
    }
  });
});
