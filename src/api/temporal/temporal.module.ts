import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { Config } from '../../config';
import { CONFIG } from '../config/config.module';
import { payloadDataConverter } from '../../infra/payload-codec';
import { RelanceConnection, temporalConnectionOptions } from '../../infra/temporal-connection';
import { temporalClientInterceptors } from '../../infra/tracing';

/**
 * The one Temporal client of the API. The connection is lazy: the API boots and reports Temporal "down"
 * on /health while the server is unreachable, instead of refusing to start.
 */
@Injectable()
export class TemporalClient extends Client implements OnApplicationShutdown {
  readonly taskQueueName: string;

  constructor(@Inject(CONFIG) config: Config) {
    super({
      connection: RelanceConnection.lazyTo(config.temporalNamespace, temporalConnectionOptions(config)), namespace: config.temporalNamespace,
      interceptors: temporalClientInterceptors(),
      dataConverter: payloadDataConverter(config.payloadKeys),
    });
    this.taskQueueName = config.taskQueue;
  }

  async ping(timeoutMs = 2000): Promise<void> {
    await this.connection.withDeadline(Date.now() + timeoutMs, () =>
      this.workflowService.getSystemInfo({}),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}

@Global()
@Module({ providers: [TemporalClient], exports: [TemporalClient] })
export class TemporalModule {}
