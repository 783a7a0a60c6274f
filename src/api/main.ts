import 'reflect-metadata';
import './tracing';
import { ConfigError, loadConfig } from '../config';
import { errorFields } from '../infra/logger';
import { shutdownTracing } from '../infra/tracing';
import { apiLogger } from './common/request-log';
import { createApp } from './create-app';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.port, '0.0.0.0');
  apiLogger.info(`[api] listening on ${config.port}`, { port: config.port });
}

main().catch(async (err: Error) => {
  if (err instanceof ConfigError) apiLogger.error(`[api] configuration error: ${err.message}`);
  else apiLogger.error('[api] failed to start', errorFields(err));
  await shutdownTracing(apiLogger);
  process.exit(1);
});
