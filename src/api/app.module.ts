import { DynamicModule, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Config } from '../config';
import { dataSourceOptions } from '../db/data-source';
import { typeOrmLogger } from '../infra/logger';
import { shutdownTracing } from '../infra/tracing';
import { apiLogger } from './common/request-log';
import { RateLimitsModule } from './common/rate-limits';
import { AuthModule } from './auth/auth.module';
import { CodecModule } from './codec/codec.module';
import { InboundModule } from './inbound/inbound.module';
import { CollectionsModule } from './collections/collections.module';
import { CompaniesModule } from './companies/companies.module';
import { ApprovalsModule } from './approvals/approvals.module';
import { DelegationsModule } from './delegations/delegations.module';
import { ApproverGroupsModule } from './approver-groups/approver-groups.module';
import { ApprovalLinksModule } from './approval-links/approval-links.module';
import { ConfigModule } from './config/config.module';
import { DiagnosticsModule } from './diagnostics/diagnostics.module';
import { HealthModule } from './health/health.module';
import { RemindersModule } from './reminders/reminders.module';
import { TemporalModule } from './temporal/temporal.module';
import { UsersModule } from './users/users.module';
import { WorkflowTemplatesModule } from './workflow-templates/workflow-templates.module';
import { WorkflowsModule } from './workflows/workflows.module';
import { BillsModule } from './bills/bills.module';
import { CustomersModule } from './customers/customers.module';
import { DepositsModule } from './deposits/deposits.module';
import { InvoicesModule } from './invoices/invoices.module';
import { LocationsModule } from './locations/locations.module';
import { MailModule } from './mail/mail.module';
import { NotificationsModule } from './notifications/notifications.module';
import { PaymentsModule } from './payments/payments.module';
import { TasksModule } from './tasks/tasks.module';
import { VendorsModule } from './vendors/vendors.module';
import { WorkflowRunsModule } from './workflow-runs/workflow-runs.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { AuditModule } from './audit/audit.module';
import { SessionsModule } from './sessions/sessions.module';
import { SuppressionsModule } from './suppressions/suppressions.module';
import { CustomerAnswersModule } from './customer-answers/customer-answers.module';

/** The spans still buffered when the API stops (SIGTERM) are exported before it exits. */
@Injectable()
class TracingShutdown implements OnApplicationShutdown {
  onApplicationShutdown(): Promise<void> {
    return shutdownTracing(apiLogger);
  }
}

@Module({})
export class AppModule {
  static forRoot(config: Config): DynamicModule {
    return {
      module: AppModule,
      providers: [TracingShutdown],
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot({ ...dataSourceOptions(config.databaseUrl, undefined, typeOrmLogger(apiLogger)), retryAttempts: 0 }),
        TemporalModule,
        MailModule,
        AuthModule,
        RateLimitsModule,
        HealthModule,
        DiagnosticsModule,
        // Express tries routes in registration order, one pattern match each: the hottest routes' modules come first
        // (invoices, their approvals, the tasks approvers poll). Measured in bench/README.md.
        InvoicesModule,
        ApprovalsModule,
        DelegationsModule,
        ApproverGroupsModule,
        ApprovalLinksModule,
        CustomerAnswersModule,
        TasksModule,
        CompaniesModule,
        UsersModule,
        WorkflowTemplatesModule,
        WorkflowsModule,
        CustomersModule,
        VendorsModule,
        LocationsModule,
        BillsModule,
        PaymentsModule,
        DepositsModule,
        NotificationsModule,
        RemindersModule,
        WorkflowRunsModule,
        CollectionsModule,
        WebhooksModule,
        AuditModule,
        SessionsModule,
        SuppressionsModule,
        CodecModule.forRoot(config),
        InboundModule.forRoot(config),
      ],
    };
  }
}
