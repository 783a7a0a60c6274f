import { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { ReconcileReport, ReminderScheduler } from '../infra/reminder-scheduler';
import { payloadDataConverter } from '../infra/payload-codec';
import { RelanceConnection, temporalConnectionOptions } from '../infra/temporal-connection';
import type { Config } from '../config';

/**
 * Run at worker start: repairs drift between reminder definitions and their Temporal Schedules (an activation
 * whose schedule call failed, a deletion while Temporal was down). Several workers may run it at once: every
 * step is idempotent.
 */
export async function reconcileSchedules(
  config: Pick<Config, 'temporalAddress' | 'temporalNamespace' | 'taskQueue' | 'scheduleJitterSeconds'> & Partial<Pick<Config, 'temporalTls' | 'temporalApiKey' | 'payloadKeys'>>,
  dataSource: DataSource,
): Promise<ReconcileReport> {
  const connection = await RelanceConnection.connectTo(config.temporalNamespace, temporalConnectionOptions(config));
  try {
    const client = new Client({ connection, namespace: config.temporalNamespace, dataConverter: payloadDataConverter(config.payloadKeys) });
    return await new ReminderScheduler(client, config.taskQueue, dataSource, { jitterSeconds: config.scheduleJitterSeconds }).reconcile();
  } finally {
    await connection.close();
  }
}
