import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

describe('docker-compose.yml', () => {
  let config: string;

  beforeAll(() => {
    // scripts/test.js installs Debian's docker-compose when it is missing.
    config = execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], { cwd: ROOT, encoding: 'utf8' });
  });

  it('is a valid compose file with the production topology', () => {
    for (const service of ['postgres', 'temporal', 'temporal-ui', 'temporal-search-attributes', 'mail', 'migrate', 'api', 'worker']) {
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
    expect(config).toContain('DATABASE_URL: postgres://relance:relance@postgres:5432/relance');
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
});
