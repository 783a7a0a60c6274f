import { Module } from '@nestjs/common';
import { ApproverGroupsModule } from '../approver-groups/approver-groups.module';
import { DelegationsModule } from '../delegations/delegations.module';
import { SessionsModule } from '../sessions/sessions.module';
import { ApiKeysService } from './api-keys.service';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({ imports: [ApproverGroupsModule, DelegationsModule, SessionsModule], controllers: [UsersController], providers: [UsersService, ApiKeysService], exports: [ApiKeysService] })
export class UsersModule {}
