import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Config } from '../config';
import { dataSourceOptions } from '../db/data-source';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuthModule } from './auth/auth.module';
import { IdempotencyInterceptor } from './common/idempotency.interceptor';
import { CompaniesModule } from './companies/companies.module';
import { ConfigModule } from './config/config.module';
import { DiagnosticsModule } from './diagnostics/diagnostics.module';
import { HealthModule } from './health/health.module';
import { RemindersModule } from './reminders/reminders.module';
import { TemporalModule } from './temporal/temporal.module';
import { UsersModule } from './users/users.module';
import { WorkflowRunsModule } from './workflow-runs/workflow-runs.module';

@Module({})
export class AppModule {
  static forRoot(config: Config): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot({ ...dataSourceOptions(config.databaseUrl), retryAttempts: 0 }),
        TemporalModule,
        AuthModule,
        HealthModule,
        DiagnosticsModule,
        CompaniesModule,
        UsersModule,
        RemindersModule,
        WorkflowRunsModule,
      ],
      providers: [{ provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor }],
    };
  }
}
