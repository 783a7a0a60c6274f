import { DynamicModule, Module } from '@nestjs/common';
import type { Config } from '../../config';
import { EncryptionCodec } from '../../infra/payload-codec';
import { CODEC, CODEC_ACCESS, CodecController } from './codec.controller';

/**
 * The codec endpoint of the Temporal Web UI and CLI (`POST /codec/decode`, `/codec/encode`): only with payload keys and
 * RELANCE_CODEC_TOKEN both set; otherwise the routes do not exist (404).
 */
@Module({})
export class CodecModule {
  static forRoot(config: Pick<Config, 'payloadKeys' | 'codec'>): DynamicModule {
    if (!config.codec.token || config.payloadKeys.length === 0) return { module: CodecModule };
    return {
      module: CodecModule,
      controllers: [CodecController],
      providers: [
        { provide: CODEC, useValue: new EncryptionCodec(config.payloadKeys) },
        { provide: CODEC_ACCESS, useValue: { token: config.codec.token, corsOrigins: config.codec.corsOrigins } },
      ],
    };
  }
}
