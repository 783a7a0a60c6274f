import { CodecController } from './codec.controller';
import { CodecModule } from './codec.module';

describe(CodecModule.name, () => {
  const keys = [{ id: 'k1', key: Buffer.alloc(32, 1) }];
  const token = 'a'.repeat(32);

  it('registers the codec routes only with payload keys and a token: without either, /codec/* is a 404', () => {
    expect(CodecModule.forRoot({ payloadKeys: keys, codec: { token, corsOrigins: [] } }).controllers).toEqual([CodecController]);
    expect(CodecModule.forRoot({ payloadKeys: keys, codec: { corsOrigins: [] } }).controllers).toBeUndefined();
    expect(CodecModule.forRoot({ payloadKeys: [], codec: { token, corsOrigins: [] } }).controllers).toBeUndefined();
  });
});
