import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/** Runs one statement and answers its rows. */
export interface Sql {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query<T = any>(text: string, params?: unknown[]): Promise<T[]>;
}

const names = new Map<string, string>();

/**
 * How many distinct texts get a prepared statement. Each connection keeps every statement it prepared (and Postgres
 * its plan) for its whole life; filters that combine (the invoice list's) make many texts possible, so past this
 * count new texts run unprepared, parsed and planned per call, instead of growing every connection without bound.
 */
export const MAX_PREPARED_STATEMENTS = 500;

/**
 * A name per distinct SQL text, so that each pooled connection parses and plans a hot statement once (a prepared
 * statement). Only for texts that the code writes, never for texts built from input. Undefined once
 * MAX_PREPARED_STATEMENTS texts have a name.
 */
function preparedName(text: string): string | undefined {
  let name = names.get(text);
  if (!name && names.size < MAX_PREPARED_STATEMENTS) names.set(text, (name = `relance_${names.size + 1}`));
  return name;
}

/**
 * Hot statements straight to the pg pool under a data source, prepared once per connection: no TypeORM query runner,
 * no parse and plan per call. Each call is its own transaction (write multi-step changes as one statement).
 */
export function preparedSql(dataSource: DataSource): Sql {
  return {
    async query<T>(text: string, params: unknown[] = []) {
      // The pool under the data source: same connections, same limits, read at each call (it exists once initialised).
      const pool = (dataSource.driver as PostgresDriver).master as Pool;
      return (await pool.query({ name: preparedName(text), text, values: params })).rows as T[];
    },
  };
}
