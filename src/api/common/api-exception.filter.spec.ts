import { Logger, type ArgumentsHost } from '@nestjs/common';
import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { ApiExceptionFilter } from './api-exception.filter';
import { apiLogger, JsonNestLogger } from './request-log';

describe(ApiExceptionFilter.name, () => {
  afterEach(() => jest.restoreAllMocks());

  it('logs an unexpected fault as one JSON line carrying the request id and the stack as fields', () => {
    const lines: Record<string, unknown>[] = [];
    jest.spyOn(apiLogger, 'error').mockImplementation((msg, fields) => void lines.push({ msg, ...fields }));
    const nest = new JsonNestLogger();
    // The filter's Nest Logger writes through the app's logger: the one the API installs.
    Logger.overrideLogger(nest);
    const res = { getHeader: () => 'req-42', status: () => res, json: () => res };
    const host = { switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost;
    new ApiExceptionFilter().catch(new Error('boom'), host);
    expect(lines).toEqual([expect.objectContaining({
      msg: 'request failed', requestId: 'req-42', error: 'boom', stack: expect.stringContaining('Error: boom'), context: 'ApiExceptionFilter',
    })]);
  });

  /** What the filter answers for `exception`: status, body and Retry-After. */
  function answer(exception: unknown) {
    jest.spyOn(apiLogger, 'error').mockImplementation(() => undefined);
    const headers: Record<string, string> = {};
    const out: { status?: number; body?: { statusCode: number; message: string } } = {};
    const res = {
      getHeader: (name: string) => headers[name], setHeader: (name: string, value: string) => void (headers[name] = value),
      status: (code: number) => ((out.status = code), res), json: (body: never) => ((out.body = body), res),
    };
    new ApiExceptionFilter().catch(exception, { switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost);
    return { ...out, retryAfter: headers['Retry-After'] };
  }
  const pgError = (code: string) => Object.assign(new DatabaseError('canceling statement due to statement timeout', 1, 'error'), { code });

  it.each([
    ['a statement cancelled by its timeout', new QueryFailedError('SELECT 1', [], pgError('57014'))],
    ['the server shutting down', pgError('57P01')],
    ['a lost connection', new QueryFailedError('SELECT 1', [], new Error('Connection terminated unexpectedly'))],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED /tmp/.s.PGSQL.5432'), { code: 'ECONNREFUSED' })],
    ['no free connection in time', new Error('timeout exceeded when trying to connect')],
    ['too many connections', pgError('53300')],
    ['a deadlock', pgError('40P01')],
  ])('answers 503 with Retry-After when Postgres cannot serve: %s', (_, exception) => {
    const got = answer(exception);
    expect(got).toMatchObject({ status: 503, body: { statusCode: 503, message: expect.stringMatching(/^the database is unavailable/) }, retryAfter: '2' });
  });

  it('keeps the record\'s own database errors 4xx and an unknown fault a 500', () => {
    expect(answer(new QueryFailedError('INSERT', [], pgError('23505')))).toMatchObject({ status: 409, retryAfter: undefined });
    expect(answer(pgError('22021'))).toMatchObject({ status: 400 });
    expect(answer(new Error('boom'))).toMatchObject({ status: 500, retryAfter: undefined });
  });
});
