import type { DataSource } from 'typeorm';

/** Answers when the database does: the health check's probe. */
export async function pingDatabase(dataSource: DataSource): Promise<void> {
  await dataSource.query('SELECT 1');
}
