import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const PROMETHEUS = path.resolve(__dirname, '..', '..', 'ops', 'prometheus');

function promtool(...args: string[]): string {
  const bin = process.env.PROMTOOL;
  if (!bin) throw new Error('PROMTOOL is not set: run the suites with npm test, which fetches promtool');
  const r = spawnSync(bin, args, { cwd: PROMETHEUS, encoding: 'utf8' });
  return `exit ${r.status}\n${r.stdout}${r.stderr}`;
}

/** ops/prometheus/alerts.yml is what Prometheus accepts and fires when it should (npm test provides PROMTOOL). */
describe('ops/prometheus/alerts.yml', () => {
  it('passes promtool check rules', () => {
    const out = promtool('check', 'rules', 'alerts.yml');
    expect(out).toMatch(/^exit 0\n/);
    expect(out).toContain('SUCCESS');
  });

  it('fires as alerts.test.yml expects (promtool test rules), and every alert is tested', () => {
    const out = promtool('test', 'rules', 'alerts.test.yml');
    expect(out).toMatch(/^exit 0\n/);
    expect(out).toContain('SUCCESS');
    const alerts = [...readFileSync(path.join(PROMETHEUS, 'alerts.yml'), 'utf8').matchAll(/^[ \t]+- alert: (\S+)$/gm)].map((m) => m[1]);
    const tested = new Set([...readFileSync(path.join(PROMETHEUS, 'alerts.test.yml'), 'utf8')
      .matchAll(/^[ \t]+alertname: (\S+)$/gm)].map((m) => m[1]));
    expect(alerts.length).toBeGreaterThanOrEqual(8);
    expect(alerts.filter((a) => !tested.has(a))).toEqual([]);
  });
});
