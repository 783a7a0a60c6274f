import { Diagnostics1764300000000 } from './1764300000000-diagnostics';

/** In order; each file is timestamped. */
export const migrations = [Diagnostics1764300000000];
