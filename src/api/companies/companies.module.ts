import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { WorkflowsModule } from '../workflows/workflows.module';
import { CompaniesController } from './companies.controller';
import { CompaniesService } from './companies.service';

@Module({ imports: [UsersModule, WorkflowsModule], controllers: [CompaniesController], providers: [CompaniesService] })
export class CompaniesModule {}
