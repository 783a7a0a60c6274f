import type { DataSource } from 'typeorm';
import { DELIVERY_CHANNELS } from '../db/entities';
import { createApiMetrics } from './metrics';

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
