import { Pool } from 'pg';
import { testEnv } from './env';

let pool: Pool | undefined;

/**
 * Direct SQL against the test database, for what the API does not expose: arranging states that other parts
 * of the system produce (approval statuses, notifications) and checking that a refused request changed nothing.
 */
export async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  pool ??= new Pool({ connectionString: testEnv().databaseUrl, max: 2 });
  return (await pool.query(text, params)).rows as T[];
}

export async function closeDb(): Promise<void> {
  await pool?.end();
  pool = undefined;
}
