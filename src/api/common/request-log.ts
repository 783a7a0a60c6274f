import { randomUUID } from 'node:crypto';
import { INestApplication, LoggerService } from '@nestjs/common';
import { NextFunction, Request, Response } from 'express';
import { createLogger, Logger } from '../../infra/logger';
import { redactTokenPaths } from '../../infra/token-paths';

export const apiLogger: Logger = createLogger('relance-api');

/**
 * Nest's own lines (module init, mapped routes, errors) as JSON lines of the same logger. An error's message or stack
 * may quote the path it failed on: a link's token in it is redacted.
 */
export class JsonNestLogger implements LoggerService {
  log(message: unknown, ...rest: unknown[]): void {
    apiLogger.info(redactTokenPaths(String(message)), context(rest));
  }
  error(message: unknown, ...rest: unknown[]): void {
    apiLogger.error(redactTokenPaths(String(message)), context(rest));
  }
  warn(message: unknown, ...rest: unknown[]): void {
    apiLogger.warn(redactTokenPaths(String(message)), context(rest));
  }
  debug(message: unknown, ...rest: unknown[]): void {
    apiLogger.log('debug', redactTokenPaths(String(message)), context(rest));
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    apiLogger.log('debug', redactTokenPaths(String(message)), context(rest));
  }
}

/**
 * Nest passes its context (the class name) last, after an error's stack when there is one; a plain object given to
 * Nest's Logger (`logger.error('request failed', { requestId })`) becomes fields of the line.
 */
function context(rest: unknown[]): Record<string, unknown> {
  const given = Object.assign({}, ...rest.filter((r) => typeof r === 'object' && r !== null && !(r instanceof Error))) as Record<string, unknown>;
  const fields = Object.fromEntries(Object.entries(given).map(([k, v]) => [k, typeof v === 'string' ? redactTokenPaths(v) : v]));
  const strings = rest.filter((r): r is string => typeof r === 'string').map(redactTokenPaths);
  if (!strings.length) return fields;
  return { ...fields, ...(strings.length > 1 ? { context: strings[strings.length - 1], stack: strings[0] } : { context: strings[0] }) };
}

const REQUEST_ID = /^[\w.:@-]{1,128}$/;

/**
 * Each request gets an id (the caller's `X-Request-Id` when it is a sane one, otherwise a new UUID), answered in
 * `X-Request-Id` and carried by every line logged while it is handled; once answered, one line says what it was:
 * method, route template, status, duration and company.
 */
export function installRequestLog(app: INestApplication): void {
  app.use((req: Request & { user?: { companyId?: string } }, res: Response, next: NextFunction) => {
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      if (req.path === '/metrics' || req.path === '/health') return;
      const route = (req.route as { path?: string } | undefined)?.path;
      apiLogger.info('request', {
        requestId, companyId: req.user?.companyId, method: req.method, route: route ? `${req.baseUrl}${route}` : 'unmatched',
        status: res.statusCode, durationMs: Number(process.hrtime.bigint() - started) / 1e6,
      });
    });
    // The id is on the request's own line and in X-Request-Id, not in an AsyncLocalStorage: on Node 20 its first
    // run() turns on the promise hook for the whole process (bench/README.md, RelanceConnection).
    next();
  });
}
