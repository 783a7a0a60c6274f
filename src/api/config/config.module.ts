import { DynamicModule, Global, Module } from '@nestjs/common';
import { Config } from '../../config';
import { SecretBox } from '../../infra/secret-box';

export const CONFIG = Symbol('CONFIG');

/** The configuration, and the SecretBox of its RELANCE_SECRET_KEYS. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: Config): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: CONFIG, useValue: config }, { provide: SecretBox, useValue: new SecretBox(config.secretKeys) }],
      exports: [CONFIG, SecretBox],
    };
  }
}
