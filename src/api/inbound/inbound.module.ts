import { DynamicModule, Module } from '@nestjs/common';
import type { Config } from '../../config';
import { InboundController } from './inbound.controller';
import { INBOUND_DOMAIN, InboundService } from './inbound.service';

/** `POST /v1/inbound/email`: only with RELANCE_INBOUND_SECRET (and so INBOUND_DOMAIN) set; otherwise it does not exist (404). */
@Module({})
export class InboundModule {
  static forRoot(config: Pick<Config, 'inbound'>): DynamicModule {
    const { secret, domain } = config.inbound;
    if (!secret || !domain) return { module: InboundModule };
    return {
      module: InboundModule,
      controllers: [InboundController],
      providers: [InboundService, { provide: INBOUND_DOMAIN, useValue: domain }],
    };
  }
}
