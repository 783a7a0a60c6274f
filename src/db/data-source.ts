import 'reflect-metadata';
import type { Pool } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { entities } from './entities';
import { migrations } from './migrations';

/** The one data source definition shared by the API, the worker and the migration CLI. */
export function dataSourceOptions(databaseUrl: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities,
    migrations,
    synchronize: false,
    migrationsRun: false,
    logging: ['error'],
    extra: { max: poolSize, application_name: 'relance' },
  };
}

export function createDataSource(databaseUrl: string, poolSize?: number): DataSource {
  return new DataSource(dataSourceOptions(databaseUrl, poolSize));
}

/**
 * The pg pool under a data source, for the few hot reads that gain from skipping TypeORM's query runner
 * (one pool checkout and one round trip, nothing else). Same connections, same limits.
 */
export function poolOf(dataSource: DataSource): Pool {
  return (dataSource.driver as PostgresDriver).master as Pool;
}
