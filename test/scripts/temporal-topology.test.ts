import { readFileSync } from 'node:fs';
import path from 'node:path';
import { searchAttributes } from '../../src/contracts';

/* eslint-disable @typescript-eslint/no-require-imports */
const provision = require('../../scripts/lib/provision') as { SEARCH_ATTRIBUTES: string[]; dynamicConfigFlags(text?: string): string[] };
const cluster = require('../../scripts/lib/cluster') as {
  SERVER: ServerSource;
  searchAttributeArgs(): string[];
  serverConfig(o: { ports: Record<string, number>; pgPort: number; logLevel: string }): string;
};
/* eslint-enable @typescript-eslint/no-require-imports */

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

const listed = () => Object.entries((JSON.parse(read('ops/temporal/server.json')) as ServerSource).searchAttributes).map(([n, t]) => `${n}=${t}`);

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
    expect(cluster.SERVER).toEqual(source);
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
    expect(cluster.searchAttributeArgs()).toEqual(listed);
  });

  it('gives the dev server of npm run dev and npm test the same search attributes', () => {
    expect([...provision.SEARCH_ATTRIBUTES].sort()).toEqual(Object.keys(source.searchAttributes).sort());
  });

  it('starts PostgreSQL, the server, the API and the worker again when they exit, as the cluster harness does', () => {
    // The server exits at start while PostgreSQL is down (seen on the cluster): without a policy it would stay down.
    for (const name of ['postgres', 'temporal', 'api', 'worker']) expect(services[name]).toContain('    restart: unless-stopped\n');
  });

  it('points the server of compose at the mount of ops/temporal/dynamicconfig.yaml, the file the test\'s server reads', () => {
    const setting = /^ {6}DYNAMIC_CONFIG_FILE_PATH: (\S+)$/m.exec(services.temporal);
    expect(setting).not.toBeNull();
    // The image's entrypoint renders its config in /etc/temporal, where the server resolves a relative path.
    const file = path.posix.resolve('/etc/temporal', setting![1]);
    const mounts = [...services.temporal.matchAll(/^ {6}- ([^:\s]+):([^:\s]+)(?::ro)?$/gm)].map((m) => ({ source: m[1], target: m[2] }));
    expect(mounts.filter((m) => m.target === file)).toEqual([{ source: './ops/temporal/dynamicconfig.yaml', target: file }]);

    const config = cluster.serverConfig({ ports: {}, pgPort: 5432, logLevel: 'warn' });
    expect(/^dynamicConfigClient:\n {2}filepath: "(.*)"$/m.exec(config)?.[1]).toBe(path.join(ROOT, 'ops', 'temporal', 'dynamicconfig.yaml'));
    expect([...config.matchAll(/databaseName: "(.*)"/g)].map((m) => m[1])).toEqual([source.databases.temporal, source.databases.visibility]);
    expect([...config.matchAll(/pluginName: "(.*)"/g)].map((m) => m[1])).toEqual([source.sqlPlugin, source.sqlPlugin]);
  });

  it('gives the dev server of npm run dev and npm test the values of dynamicconfig.yaml as its flags', () => {
    expect(provision.dynamicConfigFlags()).toEqual(provision.dynamicConfigFlags(read('ops/temporal/dynamicconfig.yaml')));
    expect(provision.dynamicConfigFlags(read('ops/temporal/dynamicconfig.yaml')))
      .toEqual(['--dynamic-config-value', 'system.enableActivityEagerExecution=true']);
    expect(provision.dynamicConfigFlags('# off\nsystem.enableActivityEagerExecution:\n  - value: false\nlimit.x:\n  - value: "a b"\n'))
      .toEqual(['--dynamic-config-value', 'system.enableActivityEagerExecution=false', '--dynamic-config-value', 'limit.x="a b"']);
    // A value for some namespaces only has no flag of the dev server: rather fail than run it everywhere.
    expect(() => provision.dynamicConfigFlags('a.b:\n  - value: 1\n    constraints:\n      namespace: default\n')).toThrow(/a\.b/);
  });

  it('tells users in the README the version, the namespace and the search attributes of server.json', () => {
    const readme = read('README.md');
    const section = readme.slice(readme.indexOf('\n## Running on a Temporal cluster\n'));
    const next = section.indexOf('\n## ', 1);
    const text = (next < 0 ? section : section.slice(0, next)).replace(/\s+/g, ' ');
    expect(text).toContain(`names the server version (${source.version})`);
    expect(text).toContain(`sh ops/temporal/setup-namespace.sh ${source.namespace} ${source.retention} ${listed().join(' ')}`);
  });
});
