import { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import { errorFields, type Logger } from '../infra/logger';
import { WebhooksRepository } from '../db/webhooks.repository';
import { payloadDataConverter } from '../infra/payload-codec';
import { RelanceConnection, temporalConnectionOptions } from '../infra/temporal-connection';
import { startWebhookDelivery } from '../infra/webhook-deliveries';

const BATCH = 200;

/**
 * Hands recorded webhook deliveries to Temporal: each committed delivery row (written with the fact it describes, in
 * its transaction) gets its `webhookDelivery` workflow, then is marked dispatched. Several workers may run it at once:
 * a workflow id is taken once. A full batch is followed by the next at once; otherwise it waits `intervalMs`.
 */
export function startWebhookDispatcher(
  config: Pick<Config, 'temporalAddress' | 'temporalNamespace' | 'taskQueue' | 'webhooks'> & Partial<Pick<Config, 'temporalTls' | 'temporalApiKey' | 'payloadKeys'>>,
  dataSource: DataSource,
  logger: Logger,
): { stop(): Promise<void> } {
  const connection = RelanceConnection.lazyTo(config.temporalNamespace, temporalConnectionOptions(config));
  const client = new Client({ connection, namespace: config.temporalNamespace, dataConverter: payloadDataConverter(config.payloadKeys) });
  const webhooks = new WebhooksRepository(dataSource);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const tick = async (): Promise<number> => {
    const deliveries = await webhooks.findUndispatched(BATCH);
    await Promise.all(deliveries.map((d) => startWebhookDelivery(client, config.taskQueue, d, config.webhooks.retry)));
    if (deliveries.length > 0) await webhooks.markDispatched(deliveries.map((d) => d.id));
    return deliveries.length;
  };
  const schedule = (delay: number) => {
    timer = setTimeout(() => {
      running = tick()
        .then((n) => (n === BATCH ? 0 : config.webhooks.dispatchIntervalMs))
        .catch((err: Error) => {
          logger.error(`[worker] dispatching webhook deliveries failed, will retry: ${err.message}`, errorFields(err));
          return config.webhooks.dispatchIntervalMs;
        })
        .then((next) => { if (!stopped) schedule(next); });
    }, delay);
  };
  schedule(0);

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      await connection.close();
    },
  };
}
