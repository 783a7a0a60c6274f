import type { DataSource } from 'typeorm';
import { DELIVERY_CHANNELS } from '../db/entities';
import { ConfigError } from '../config';
import { createApiMetrics, metricsAuthorized, metricsToken } from './metrics';

/** The one row OpsMetricsRepository.counts reads: one failed webhook delivery, nothing else. */
const opsRow = {
  pending: [], near: 0, failed: [{ channel: 'webhook', count: 1 }], doubt: [], overdue: 0, retrying: 0, oldest_retrying: 0,
};

describe(createApiMetrics.name, () => {
  it('exports every delivery channel, at 0 when none of its deliveries failed or are in doubt', async () => {
    const dataSource = { query: async () => [opsRow] } as unknown as DataSource;
    const text = await createApiMetrics(dataSource).registry.metrics();
    for (const channel of DELIVERY_CHANNELS) {
      expect(text).toContain(`relance_deliveries_failed{channel="${channel}"} ${channel === 'webhook' ? 1 : 0}`);
      expect(text).toContain(`relance_deliveries_in_doubt{channel="${channel}"} 0`);
    }
  });
});

describe(metricsToken.name, () => {
  it('is off when unset or blank, and refuses a token short enough to guess', () => {
    expect(metricsToken({})).toBeNull();
    expect(metricsToken({ METRICS_TOKEN: '  ' })).toBeNull();
    expect(metricsToken({ METRICS_TOKEN: ' 0123456789abcdef ' })).toBe('0123456789abcdef');
    expect(() => metricsToken({ METRICS_TOKEN: 'secret' })).toThrow(ConfigError);
  });
});

describe(metricsAuthorized.name, () => {
  const token = '0123456789abcdef0123';
  it('takes exactly `Bearer <token>`', () => {
    expect(metricsAuthorized(`Bearer ${token}`, token)).toBe(true);
    expect(metricsAuthorized(`bearer ${token}`, token)).toBe(true);
    for (const header of [undefined, '', 'Bearer ', token, `Bearer ${token.toUpperCase()}`, `Basic ${token}`, `Bearer ${token} `, `Bearer ${token.slice(1)}`, [`Bearer ${token}`]]) {
      expect(metricsAuthorized(header, token)).toBe(false);
    }
  });
});
