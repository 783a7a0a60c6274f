import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { dbErrorCode } from './db-errors';
import { DomainError, FieldProblem } from '../../domain/errors';
import { temporalErrorMapping } from './temporal-errors';
import { errorFields } from '../../infra/logger';

export interface ApiError {
  statusCode: number;
  error: string;
  message: string;
  /** For a validation failure: each field named, by its dotted path, with its own sentence. */
  fields?: FieldProblem[];
}

const reasons: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict',
  413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Entity', 429: 'Too Many Requests', 500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * Postgres could not serve the request, through no fault of it: a lost or refused connection (class 08, or the pool's
 * own errors), the server shutting down or a statement cancelled by its timeout (57), too many connections (53), a
 * deadlock or serialization failure (40), a lock not available (55P03).
 */
function databaseUnavailable(exception: unknown, code: string | undefined): boolean {
  if (code) return /^(08|57|53|40)/.test(code) || code === '55P03';
  const e = exception as { code?: unknown; message?: unknown } | null;
  if (typeof e?.code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'EPIPE'].includes(e.code)) return true;
  return typeof e?.message === 'string' && /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED/.test(e.message);
}

function errorBody(statusCode: number, message: string, fields?: FieldProblem[]): ApiError {
  const body: ApiError = { statusCode, error: reasons[statusCode] ?? HttpStatus[statusCode] ?? 'Error', message };
  if (fields?.length) body.fields = fields;
  return body;
}

/** The answer the API gives for an error (also each refused item of a bulk call): status, reason and message. */
export function errorBodyOf(exception: unknown): ApiError {
  if (exception instanceof DomainError) return errorBody(exception.statusCode, exception.message, exception.fields);
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    let message = exception.message;
    let fields: FieldProblem[] | undefined;
    if (typeof response === 'object' && response && 'message' in response) {
      const m = (response as { message: unknown }).message;
      message = Array.isArray(m) ? m.join('; ') : String(m);
      fields = (response as { fields?: FieldProblem[] }).fields;
    }
    return errorBody(status, message, fields);
  }
  const httpish = exception as { type?: string; status?: number; statusCode?: number; message?: string };
  // Errors raised by the body parser before any controller runs.
  if (httpish?.type === 'entity.too.large') return errorBody(413, 'request body is larger than the allowed limit');
  if (httpish?.type === 'entity.parse.failed') return errorBody(400, `request body is not valid JSON: ${httpish.message}`);
  if (httpish?.type && typeof httpish.status === 'number' && httpish.status >= 400 && httpish.status < 500) {
    return errorBody(httpish.status, httpish.message ?? 'bad request');
  }
  const code = dbErrorCode(exception);
  if (code) {
    if (code === '23505') return errorBody(409, 'a record with the same unique value already exists');
    if (code === '23502') return errorBody(400, `${(exception as { column?: string }).column ?? 'a required field'} must not be null`);
    if (code === '23503') return errorBody(409, 'a related record was deleted or is still in use; reload it and retry');
    if (code === '22P02' || code === '22007' || code === '22008') return errorBody(400, 'a value has an invalid format');
    if (code === '22003') return errorBody(400, 'a numeric value is out of range');
    if (code === '22021') return errorBody(400, 'a text value contains a character that cannot be stored (such as NUL, \\u0000)');
    // Any other data exception is the value sent, never the server's fault.
    if (code.startsWith('22')) return errorBody(400, 'a value is not valid for its field');
  }
  if (databaseUnavailable(exception, code)) {
    return errorBody(503, 'the database is unavailable or too busy to answer now; try again shortly (a POST retried with the same Idempotency-Key is applied once)');
  }
  const temporal = temporalErrorMapping(exception);
  if (temporal) return errorBody(temporal.status, temporal.status === 503 ? `${temporal.reason}; try again shortly` : temporal.reason);
  return errorBody(500, 'internal error');
}

/** Maps every error to `{ statusCode, error, message, fields? }`; only an unexpected fault is a 500, and it is logged. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const body = errorBodyOf(exception);
    if (body.statusCode >= 500) {
      this.logger.error('request failed', { requestId: res.getHeader('X-Request-Id'), ...errorFields(exception) });
    }
    if (body.statusCode === 503 && !res.getHeader('Retry-After')) res.setHeader('Retry-After', '2');
    res.status(body.statusCode).json(body);
  }
}
