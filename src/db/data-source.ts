import 'reflect-metadata';
import { DataSource, DataSourceOptions, type Logger } from 'typeorm';
import { entities } from './entities';
import { migrations } from './migrations';

/**
 * The one data source definition shared by the API, the worker and the migration CLI. The services pass their JSON
 * logger (infra's typeOrmLogger); without one TypeORM prints its errors as text.
 */
export interface ConnectionLimits {
  /**
   * Longest a statement may run, lock waits included (Postgres `statement_timeout`; 0: none, for migrations): a
   * statement stuck behind a lock fails and is retried or answered 503, instead of holding a request and a pooled
   * connection for ever.
   */
  statementTimeoutMs?: number;
}

/** The services' limits: 30 s per statement, a minute idle inside a transaction, 10 s to get a connection. */
const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;

export function dataSourceOptions(databaseUrl: string, poolSize = 10, logger?: Logger, limits: ConnectionLimits = {}): DataSourceOptions {
  const statementTimeoutMs = limits.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  return {
    type: 'postgres',
    url: databaseUrl,
    entities,
    migrations,
    synchronize: false,
    migrationsRun: false,
    logging: ['error'],
    ...(logger ? { logger } : {}),
    extra: {
      max: poolSize, application_name: 'relance', connectionTimeoutMillis: 10_000,
      ...(statementTimeoutMs > 0 ? { statement_timeout: statementTimeoutMs, idle_in_transaction_session_timeout: 60_000 } : {}),
    },
  };
}

export function createDataSource(databaseUrl: string, poolSize?: number, logger?: Logger, limits?: ConnectionLimits): DataSource {
  return new DataSource(dataSourceOptions(databaseUrl, poolSize, logger, limits));
}
