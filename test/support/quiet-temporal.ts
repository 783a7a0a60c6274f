import { DefaultLogger, Runtime } from '@temporalio/worker';

// In-process workers in tests log only errors; expected activity failures would otherwise flood the output.
Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: 'ERROR', console: {} } } });
