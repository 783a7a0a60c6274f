import { readFileSync } from 'node:fs';
import path from 'node:path';
import { searchAttributes } from '../../src/contracts';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const provision = require('../../scripts/lib/provision') as { SEARCH_ATTRIBUTES: string[] };

const ROOT = path.resolve(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

interface ServerSource {
  version: string;
  serverImage: string;
  adminToolsImage: string;
  sqlPlugin: string;
  databases: { temporal: string; visibility: string };
  namespace: string;
  retention: string;
  searchAttributes: Record<string, string>;
}

/** docker-compose.yml's services, each service's block of text by name (the file as written, not as compose renders it). */
function composeServices(): Record<string, string> {
  const section = read('docker-compose.yml').split(/^services:$/m)[1].split(/^[a-z]/m)[0];
  return Object.fromEntries([...section.matchAll(/^ {2}([\w-]+):\n((?:(?: {4}.*)?\n)*)/gm)].map((m) => [m[1], m[2]]));
}

/** What a service runs: its `entrypoint:` then its `command:`, each written as a JSON array on one line (to compare them here). */
function commandOf(service: string): string[] {
  return ['entrypoint', 'command'].flatMap((key) => {
    const m = new RegExp(`^ {4}${key}: (\\[.*\\])$`, 'm').exec(service);
    if (!m) throw new Error(`no one-line ${key}: [...] in\n${service}`);
    return JSON.parse(m[1]) as string[];
  });
}

/**
 * What docker-compose.yml and `npm run test:cluster` share comes from ops/temporal/ (server.json, the two setup
 * scripts, dynamicconfig.yaml): the compose file runs what the test proved. Fails when either drifts.
 */
describe('the Temporal topology of docker-compose.yml and npm run test:cluster', () => {
  const source = JSON.parse(read('ops/temporal/server.json')) as ServerSource;
  const services = composeServices();

  it('runs the server version of ops/temporal/server.json, its images and the admin tools of that version', () => {
    expect(source.serverImage).toBe(`temporalio/server:${source.version}`);
    expect(source.adminToolsImage.startsWith(`temporalio/admin-tools:${source.version}-`)).toBe(true);
    expect(services.temporal).toContain(`    image: ${source.serverImage}\n`);
    for (const name of ['temporal-schema', 'temporal-search-attributes']) expect(services[name]).toContain(`    image: ${source.adminToolsImage}\n`);
    expect(read('scripts/lib/cluster.js')).toContain("path.join(OPS, 'server.json')");
  });

  it('sets the schemas up with ops/temporal/setup-schema.sh on the databases the server uses', () => {
    expect(services['temporal-schema']).toContain('      - ./ops/temporal:/etc/relance/temporal:ro\n');
    expect(commandOf(services['temporal-schema'])).toEqual(
      ['sh', '/etc/relance/temporal/setup-schema.sh', '/etc/temporal/schema', source.databases.temporal, source.databases.visibility]);
    expect(services['temporal-schema']).toContain(`      SQL_PLUGIN: ${source.sqlPlugin}\n`);
    expect(services.temporal).toContain(`      DB: ${source.sqlPlugin}\n`);
    expect(services.temporal).toContain(`      DBNAME: ${source.databases.temporal}\n`);
    expect(services.temporal).toContain(`      VISIBILITY_DBNAME: ${source.databases.visibility}\n`);
    const script = read('ops/temporal/setup-schema.sh');
    for (const step of ['update-schema', 'create-database', 'setup-schema']) expect(script).toContain(`temporal-sql-tool --db "$1" ${step}`);
  });

  it('creates the namespace and every search attribute the workflows use with ops/temporal/setup-namespace.sh', () => {
    // The workflows' keys, named as the temporal CLI names their types (KEYWORD_LIST: KeywordList).
    const cliType = (type: string) => type.toLowerCase().replace(/(^|_)(\w)/g, (_, __, c: string) => c.toUpperCase());
    const attributes = Object.values(searchAttributes).map((a) => `${a.name}=${cliType(a.type)}`);
    const listed = Object.entries(source.searchAttributes).map(([name, type]) => `${name}=${type}`);
    expect([...listed].sort()).toEqual([...attributes].sort());
    expect(services['temporal-search-attributes']).toContain('      - ./ops/temporal:/etc/relance/temporal:ro\n');
    expect(commandOf(services['temporal-search-attributes'])).toEqual(
      ['sh', '/etc/relance/temporal/setup-namespace.sh', source.namespace, source.retention, ...listed]);
    expect(read('docker-compose.yml')).toContain(`  TEMPORAL_NAMESPACE: ${source.namespace}\n`);
  });

  it('gives the dev server of npm run dev and npm test the same search attributes', () => {
    expect([...provision.SEARCH_ATTRIBUTES].sort()).toEqual(Object.keys(source.searchAttributes).sort());
  });

  it('starts PostgreSQL, the server, the API and the worker again when they exit, as the cluster harness does', () => {
    // The server exits at start while PostgreSQL is down (seen on the cluster): without a policy it would stay down.
    for (const name of ['postgres', 'temporal', 'api', 'worker']) expect(services[name]).toContain('    restart: unless-stopped\n');
    expect(read('scripts/lib/cluster.js')).toContain('START_BUDGET_MS');
  });

  it('mounts ops/temporal/dynamicconfig.yaml, the file the test\'s server reads', () => {
    expect(services.temporal).toContain('      - ./ops/temporal/dynamicconfig.yaml:/etc/temporal/config/dynamicconfig/relance.yaml:ro\n');
    expect(read('scripts/lib/cluster.js')).toContain("filepath: \"${path.join(OPS, 'dynamicconfig.yaml')}\"");
  });
});
