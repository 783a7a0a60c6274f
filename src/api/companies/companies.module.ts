import { Module } from '@nestjs/common';
import { RemindersModule } from '../reminders/reminders.module';
import { UsersModule } from '../users/users.module';
import { WorkflowsModule } from '../workflows/workflows.module';
import { CompaniesController } from './companies.controller';
import { CompaniesService } from './companies.service';

@Module({ imports: [UsersModule, WorkflowsModule, RemindersModule], controllers: [CompaniesController], providers: [CompaniesService] })
export class CompaniesModule {}
