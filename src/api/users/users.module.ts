import { Module } from '@nestjs/common';
import { DelegationsModule } from '../delegations/delegations.module';
import { SessionsModule } from '../sessions/sessions.module';
import { ApiKeysService } from './api-keys.service';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({ imports: [DelegationsModule, SessionsModule], controllers: [UsersController], providers: [UsersService, ApiKeysService], exports: [ApiKeysService] })
export class UsersModule {}
