import 'reflect-metadata';
import { DataSource, DataSourceOptions, type Logger } from 'typeorm';
import { entities } from './entities';
import { migrations } from './migrations';

/**
 * The one data source definition shared by the API, the worker and the migration CLI. The services pass their JSON
 * logger (infra's typeOrmLogger); without one TypeORM prints its errors as text.
 */
export function dataSourceOptions(databaseUrl: string, poolSize = 10, logger?: Logger): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities,
    migrations,
    synchronize: false,
    migrationsRun: false,
    logging: ['error'],
    ...(logger ? { logger } : {}),
    extra: { max: poolSize, application_name: 'relance' },
  };
}

export function createDataSource(databaseUrl: string, poolSize?: number, logger?: Logger): DataSource {
  return new DataSource(dataSourceOptions(databaseUrl, poolSize, logger));
}
