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
import { errorFields } from '../../infra/logger';
import { SecretBox } from '../../infra/secret-box';
import type { AuthUser } from '../auth/current-user.decorator';
import { ApiErrorsUnlessDocumented } from './api-docs';
import { apiLogger } from './request-log';

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** How often an API process forgets expired keys. */
const PURGE_EVERY_MS = 60_000;

/**
 * `Idempotency-Key` on authenticated POSTs, each the key of the user who sends it: the first request with a key runs
 * and its response is kept for 24 h, sealed (it may hold an API key or a webhook secret); the same user's same key
 * with the same request replays that response; with another request it is a 422. Another user's request with the
 * same key is a request of its own: it goes through its own permission checks (the replay comes before the handler,
 * so a key shared across users would hand one user's answer to another). A failed request frees its key so that the
 * client can retry; so does, after IDEMPOTENCY_CLAIM_LEASE, a request whose process died before answering; an expired
 * key is a new request.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly keys: IdempotencyKeysRepository;
  private lastPurge = 0;

  constructor(private readonly reflector: Reflector, @InjectDataSource() dataSource: DataSource, private readonly box: SecretBox) {
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
    const { companyId, id: userId } = req.user;
    this.purgeNowAndThen();
    const path = req.originalUrl.split('?')[0];
    const requestHash = createHash('sha256').update(canonicalJson({ path, body: req.body ?? null })).digest('hex');
    const claim = await this.keys.claim(companyId, userId, key, path, requestHash);
    if (!claim) {
      const row = await this.keys.findLive(companyId, userId, key);
      if (!row) throw new ConflictException('a request with this Idempotency-Key is still in progress; retry shortly');
      if (row.requestHash !== requestHash) {
        throw new UnprocessableEntityException(`Idempotency-Key "${key}" was already used with a different request`);
      }
      if (row.statusCode === null || row.response === null) {
        throw new ConflictException('a request with this Idempotency-Key is still in progress; retry shortly');
      }
      const body: unknown = JSON.parse(this.box.open(row.response, 'idempotent-response'));
      res.status(row.statusCode);
      res.setHeader('Idempotent-Replayed', 'true');
      return of(body);
    }
    const status = this.reflector.get<number>(HTTP_CODE_METADATA, ctx.getHandler()) ?? 201;
    return next.handle().pipe(
      mergeMap((body) => from(this.keys.keepResponse(
        companyId, userId, key, claim, status, this.box.seal(JSON.stringify(body ?? null), 'idempotent-response'),
      ).then(() => body))),
      catchError((err) => from(this.keys.release(companyId, userId, key, claim).then(() => { throw err; }))),
    );
  }

  /** Expired keys are forgotten in the background, once a minute at most per process (an index on created_at). */
  private purgeNowAndThen(now = Date.now()): void {
    if (now - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = now;
    this.keys.purgeExpired().catch((err: Error) => apiLogger.warn('forgetting expired Idempotency-Keys failed', errorFields(err)));
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
    description: 'Replays the first answer to the same caller\'s retry of the same request for 24 h; reused with another request it is a 422. '
      + 'Another user\'s request with the same key is a request of its own',
  }),
  ApiErrorsUnlessDocumented({
    409: 'a request with this Idempotency-Key is still in progress; retry shortly',
    422: 'Idempotency-Key "k-1" was already used with a different request',
  }),
);
