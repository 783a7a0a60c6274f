import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/** ops/prometheus/alerts.yml is what Prometheus accepts: `promtool check rules` (npm test provides PROMTOOL). */
describe('ops/prometheus/alerts.yml', () => {
  it('passes promtool check rules', () => {
    const promtool = process.env.PROMTOOL;
    if (!promtool) throw new Error('PROMTOOL is not set: run the suites with npm test, which fetches promtool');
    const r = spawnSync(promtool, ['check', 'rules', path.join(ROOT, 'ops', 'prometheus', 'alerts.yml')], { encoding: 'utf8' });
    expect(`${r.stdout}${r.stderr}`).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });
});
