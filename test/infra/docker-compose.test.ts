import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/** What an operator puts in the environment (or an `.env` file) before `docker compose up`. */
const SECRETS = {
  POSTGRES_PASSWORD: 'pg-secret-from-env', RELANCE_SECRET_KEYS: 's1:AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=', RELANCE_PAYLOAD_KEYS: 'k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', RELANCE_CODEC_TOKEN: 'codec-token-from-env',
};

// scripts/test.js installs Debian's docker-compose when it is missing.
function composeConfig(env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !(k in SECRETS))) as Record<string, string>;
  return spawnSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], { cwd: ROOT, encoding: 'utf8', env: { ...clean, ...env } });
}

describe('docker-compose.yml', () => {
  let config: string;

  beforeAll(() => {
    const run = composeConfig(SECRETS);
    if (run.status !== 0) throw new Error(`docker-compose config failed: ${run.stderr}`);
    config = run.stdout;
  });

  it('is a valid compose file with the production topology', () => {
    for (const service of ['postgres', 'temporal', 'temporal-ui', 'temporal-search-attributes', 'temporal-schema', 'mail', 'migrate', 'api', 'worker']) {
      expect(config).toMatch(new RegExp(`^  ${service}:$`, 'm'));
    }
  });

  it('registers every search attribute the workflows use', () => {
    for (const attribute of ['CompanyId', 'InvoiceId', 'ApprovalStatus', 'WorkflowDefinitionId']) {
      expect(config).toContain(attribute);
    }
  });

  it('points the API and worker at the compose services', () => {
    expect(config).toContain('TEMPORAL_ADDRESS: temporal:7233');
    expect(config).toContain(`DATABASE_URL: postgres://relance:${SECRETS.POSTGRES_PASSWORD}@postgres:5432/relance`);
    expect(config).toContain('SMTP_URL: smtp://mail:1025');
  });

  it('gives the Temporal server the dynamic config that the dev server of npm run dev and npm test gets', () => {
    expect(config).toContain('DYNAMIC_CONFIG_FILE_PATH: config/dynamicconfig/relance.yaml');
    expect(config).toContain('/etc/temporal/config/dynamicconfig/relance.yaml');
    const file = readFileSync(path.join(ROOT, 'ops', 'temporal', 'dynamicconfig.yaml'), 'utf8');
    const values = [...file.matchAll(/^([\w.]+):\n\s+- value: (\S+)$/gm)].map((m) => `${m[1]}=${m[2]}`);
    expect(values).toEqual(['system.enableActivityEagerExecution=true']);
    const provision = readFileSync(path.join(ROOT, 'scripts', 'lib', 'provision.js'), 'utf8');
    for (const value of values) expect(provision).toContain(`'--dynamic-config-value', '${value}'`);
  });

  it('publishes only the API on every interface; what a developer may reach is bound to 127.0.0.1', () => {
    const services = servicesOf(config);
    // docker-compose prints a port bound to an address as `- 127.0.0.1:8233:8080/tcp`, one on every interface as `- published: 3000`.
    const published = Object.entries(services).flatMap(([name, body]) => [
      ...[...body.matchAll(/^ {4}- published: (\d+)$/gm)].map((m) => ({ name, hostIp: '0.0.0.0', port: Number(m[1]) })),
      ...[...body.matchAll(/^ {4}- (?:([\d.]+):)?(\d+):\d+(?:\/\w+)?$/gm)].map((m) => ({ name, hostIp: m[1] ?? '0.0.0.0', port: Number(m[2]) })),
    ]);
    expect(published.filter((p) => p.hostIp !== '127.0.0.1')).toEqual([{ name: 'api', hostIp: '0.0.0.0', port: 3000 }]);
    expect(services.temporal).not.toMatch(/published/);
    expect(services.postgres).not.toMatch(/published/);
  });

  it('holds no literal password, key or token: each comes from the environment and is required', () => {
    const file = readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
    const settings = file.split('\n').map((line) => /^\s*([A-Z_]+):\s*(\S.*)$/.exec(line)).filter((m) => m !== null);
    const secrets = settings.filter(([, name]) => /PASSWORD|PWD|KEYS|TOKEN|SECRET/.test(name));
    expect(secrets.length).toBeGreaterThanOrEqual(4);
    for (const [, name, value] of secrets) {
      expect(`${name}: ${value}`).toMatch(/: "?\$\{[A-Z_]+(:\?[^}]*)?\}"?$/);
    }
    expect(file).not.toMatch(/postgres:\/\/[^:\s]+:(?!\$\{)[^@\s]+@/);
    for (const missing of Object.keys(SECRETS)) {
      const env = Object.fromEntries(Object.entries(SECRETS).filter(([k]) => k !== missing));
      const run = composeConfig(env);
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain(missing);
    }
  });

  it('sets Temporal up with its schema tool (no auto-setup) and gives the Web UI the API\'s codec endpoint', () => {
    const services = servicesOf(config);
    expect(config).not.toContain('auto-setup');
    expect(services.temporal).toMatch(/image: temporalio\/server:/);
    // The schema tool's steps are in ops/temporal/setup-schema.sh, which `npm run test:cluster` runs too.
    expect(services['temporal-schema']).toContain('/etc/relance/temporal/setup-schema.sh');
    const schemaSteps = readFileSync(path.join(ROOT, 'ops', 'temporal', 'setup-schema.sh'), 'utf8');
    for (const step of ['create-database', 'setup-schema', 'update-schema']) expect(schemaSteps).toContain(`temporal-sql-tool --db "$1" ${step}`);
    expect(services['temporal-schema']).toContain('temporal_visibility');
    expect(services['temporal-ui']).toMatch(/TEMPORAL_CODEC_ENDPOINT: http:\/\/localhost:3000\/codec/);
    expect(services.api).toContain(`RELANCE_PAYLOAD_KEYS: ${SECRETS.RELANCE_PAYLOAD_KEYS}`);
    expect(services.worker).toContain(`RELANCE_PAYLOAD_KEYS: ${SECRETS.RELANCE_PAYLOAD_KEYS}`);
    expect(services.api).toContain(`RELANCE_CODEC_TOKEN: ${SECRETS.RELANCE_CODEC_TOKEN}`);
  });
});

/** `docker-compose config`'s services, each service's block of text by name. */
function servicesOf(config: string): Record<string, string> {
  const section = config.split(/^services:$/m)[1].split(/^[a-z]/m)[0];
  return Object.fromEntries([...section.matchAll(/^ {2}([\w-]+):\n((?: {4}.*\n?)*)/gm)].map((m) => [m[1], m[2]]));
}
