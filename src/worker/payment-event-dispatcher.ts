import { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { PaymentsRepository } from '../db/payments.repository';
import { dispatchPaymentRecorded } from '../infra/payment-events';
import { payloadDataConverter } from '../infra/payload-codec';
import { RelanceConnection, temporalConnectionOptions } from '../infra/temporal-connection';
import type { Config } from '../config';
import { errorFields, type Logger } from '../infra/logger';

export interface DispatcherOptions {
  /** How often undispatched payments are looked for. */
  intervalMs: number;
  /** Left alone this long after commit: the API dispatches its own payments right away. */
  minAgeMs: number;
}

/**
 * The catch-up half of payment events: a payment committed while Temporal was unreachable (or whose request died
 * between commit and dispatch) still gets its `payment-received` automation. Several workers may run it at once;
 * dispatching is idempotent.
 */
export function startPaymentEventDispatcher(
  config: Pick<Config, 'temporalAddress' | 'temporalNamespace' | 'taskQueue'> & Partial<Pick<Config, 'temporalTls' | 'temporalApiKey' | 'payloadKeys'>>,
  dataSource: DataSource,
  options: DispatcherOptions,
  logger: Logger,
): { stop(): Promise<void> } {
  const connection = RelanceConnection.lazyTo(config.temporalNamespace, temporalConnectionOptions(config));
  const client = new Client({ connection, namespace: config.temporalNamespace, dataConverter: payloadDataConverter(config.payloadKeys) });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const tick = async () => {
    const payments = await new PaymentsRepository(dataSource).findUndispatched(options.minAgeMs, 100);
    for (const payment of payments) {
      if (stopped) return;
      await dispatchPaymentRecorded(client, config.taskQueue, dataSource, payment);
      logger.info(`[worker] dispatched the automations of payment ${payment.id}`, { paymentId: payment.id, companyId: payment.companyId });
    }
  };
  const schedule = () => {
    timer = setTimeout(() => {
      running = tick()
        .catch((err: Error) => logger.error(`[worker] dispatching payment events failed, will retry: ${err.message}`, errorFields(err)))
        .finally(() => { if (!stopped) schedule(); });
    }, options.intervalMs);
  };
  schedule();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      await connection.close();
    },
  };
}
