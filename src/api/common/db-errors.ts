import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';

/**
 * The SQLSTATE of a Postgres error (23505 unique violation, 23503 foreign key violation, ...), whether it came
 * through TypeORM (QueryFailedError) or straight from the pg pool (DatabaseError, see src/db/sql.ts).
 */
export function dbErrorCode(err: unknown): string | undefined {
  if (err instanceof QueryFailedError) return (err as QueryFailedError & { code?: string }).code;
  if (err instanceof DatabaseError) return err.code;
  return undefined;
}

/** Postgres raised this SQLSTATE. */
export function isDbError(err: unknown, code: string): boolean {
  return dbErrorCode(err) === code;
}
