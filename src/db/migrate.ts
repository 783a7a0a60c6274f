import { ConfigError } from '../config';
import { createDataSource } from './data-source';

/** `node dist/db/migrate.js`: applies pending migrations to DATABASE_URL. */
async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new ConfigError('DATABASE_URL is not set: set it to the Postgres URL to migrate');
  // No statement timeout: an index built on a large table may take minutes.
  const dataSource = createDataSource(url, 1, undefined, { statementTimeoutMs: 0 });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    for (const m of applied) console.log(`[relance] migration applied: ${m.name}`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((err: Error) => {
  console.error(`[relance] migration failed: ${err.message}`);
  process.exit(1);
});
