import { InboundController } from './inbound.controller';
import { InboundModule } from './inbound.module';

describe(InboundModule.name, () => {
  it('registers POST /v1/inbound/email only with RELANCE_INBOUND_SECRET: without it, the route is a 404', () => {
    const domain = 'inbound.acme.example';
    expect(InboundModule.forRoot({ inbound: { domain, secret: 's'.repeat(32), bodyLimitBytes: 1024 } }).controllers).toEqual([InboundController]);
    expect(InboundModule.forRoot({ inbound: { domain, bodyLimitBytes: 1024 } }).controllers).toBeUndefined();
  });
});
