'use strict';
const { ProvisionError } = require('./log');
const procs = require('./procs');

/**
 * Runs `main({ onStop })` to completion, then stops what it started (functions given to `onStop`, then every
 * tracked child process) and exits with its code. Ctrl-C and SIGTERM stop everything too.
 */
function runToCompletion(what, main) {
  const stops = [];
  let stopped;
  // One shutdown, awaited by whoever asks: a signal arriving while main ends must not exit before children stop.
  // Children first, newest first (Jest or a benchmark's processes, then the services), then what main registered
  // (PostgreSQL last: everything else may still be writing to it).
  const shutdown = () => (stopped ??= (async () => {
    await procs.stopAll();
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  })());
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => shutdown().then(() => process.exit(130)));
  main({ onStop: (stop) => stops.push(stop) })
    .catch((err) => {
      if (err instanceof ProvisionError) console.error(`[relance] cannot ${what}: ${err.message}`);
      else console.error(err);
      return 1;
    })
    .then(async (code) => {
      await shutdown();
      process.exit(code);
    });
}

module.exports = { runToCompletion };
