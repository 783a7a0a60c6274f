import {
  applyDecorators, BadRequestException, CallHandler, ConflictException, ExecutionContext, Injectable, NestInterceptor,
  UnprocessableEntityException, UseInterceptors,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { ApiHeader } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { catchError, from, mergeMap, Observable, of } from 'rxjs';
import { DataSource } from 'typeorm';
import { IdempotencyKeysRepository } from '../../db/idempotency-keys.repository';
import type { AuthUser } from '../auth/current-user.decorator';
import { ApiErrorsUnlessDocumented } from './api-docs';

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * `Idempotency-Key` on authenticated POSTs: the first request with a key runs and its response is kept; the
 * same key with the same request replays that response; the same key with another request is a 422.
 * A failed request frees its key so that the client can retry.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly keys: IdempotencyKeysRepository;

  constructor(private readonly reflector: Reflector, @InjectDataSource() dataSource: DataSource) {
    this.keys = new IdempotencyKeysRepository(dataSource);
  }

  async intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = ctx.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const key = req.headers['idempotency-key'];
    if (req.method !== 'POST' || key === undefined || !req.user) return next.handle();
    if (typeof key !== 'string' || key.length < 1 || key.length > 255) {
      throw new BadRequestException('Idempotency-Key must be a string of 1 to 255 characters');
    }
    const companyId = req.user.companyId;
    const path = req.originalUrl.split('?')[0];
    const requestHash = createHash('sha256').update(canonicalJson({ path, body: req.body ?? null })).digest('hex');
    if (!(await this.keys.claim(companyId, key, path, requestHash))) {
      const row = await this.keys.find(companyId, key);
      if (!row) throw new ConflictException('a request with this Idempotency-Key is still in progress; retry shortly');
      if (row.requestHash !== requestHash) {
        throw new UnprocessableEntityException(`Idempotency-Key "${key}" was already used with a different request`);
      }
      if (row.statusCode === null) throw new ConflictException('a request with this Idempotency-Key is still in progress; retry shortly');
      res.status(row.statusCode);
      res.setHeader('Idempotent-Replayed', 'true');
      return of(row.response);
    }
    const status = this.reflector.get<number>(HTTP_CODE_METADATA, ctx.getHandler()) ?? 201;
    return next.handle().pipe(
      mergeMap((body) => from(this.keys.keepResponse(companyId, key, status, body).then(() => body))),
      catchError((err) => from(this.keys.release(companyId, key).then(() => { throw err; }))),
    );
  }
}

/**
 * Put on every POST route (a unit test checks it): `Idempotency-Key` support. Bound per route rather than as a global
 * interceptor so that reads skip Nest's interceptor pipeline (an rxjs chain per request) altogether.
 */
export const Idempotent = () => applyDecorators(
  UseInterceptors(IdempotencyInterceptor),
  ApiHeader({
    name: 'Idempotency-Key', required: false, schema: { type: 'string', minLength: 1, maxLength: 255 },
    description: 'Replays the first answer to a retry of the same request; reused with another request it is a 422',
  }),
  ApiErrorsUnlessDocumented({
    409: 'a request with this Idempotency-Key is still in progress; retry shortly',
    422: 'Idempotency-Key "k-1" was already used with a different request',
  }),
);
