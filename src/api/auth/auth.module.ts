import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthCache } from './auth-cache';
import { AuthGuard } from './auth.guard';

@Global()
@Module({ providers: [AuthCache, { provide: APP_GUARD, useClass: AuthGuard }], exports: [AuthCache] })
export class AuthModule {}
