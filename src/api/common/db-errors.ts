import { QueryFailedError } from 'typeorm';

/** Postgres raised this SQLSTATE (23505 unique violation, 23503 foreign key violation, ...). */
export function isDbError(err: unknown, code: string): boolean {
  return err instanceof QueryFailedError && (err as QueryFailedError & { code?: string }).code === code;
}
