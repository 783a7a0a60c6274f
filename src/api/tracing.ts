import { startTracing } from '../infra/tracing';

/** Imported first by main.ts: the HTTP instrumentation must be in place before Express loads `http`. */
export const tracing = startTracing('relance-api');
