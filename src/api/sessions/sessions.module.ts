import { Module } from '@nestjs/common';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';
import { SignInLinksService } from './sign-in-links.service';

@Module({ controllers: [SessionsController], providers: [SessionsService, SignInLinksService], exports: [SignInLinksService] })
export class SessionsModule {}
