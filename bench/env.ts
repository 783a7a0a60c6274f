import { temporalAccess } from '../src/config';
import { temporalConnectionOptions } from '../src/infra/temporal-connection';

/** A variable that `scripts/bench.js` sets; missing means the bench was not started through its npm script. */
export function need(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the benchmark through its npm script (npm run bench:<name>)`);
  return value;
}

/** Temporal's address and, when the environment gives them, TLS and the API key: what the product's processes connect with. */
export function temporalOptions(): ReturnType<typeof temporalConnectionOptions> {
  return temporalConnectionOptions({ temporalAddress: need('TEMPORAL_ADDRESS'), ...temporalAccess() });
}
