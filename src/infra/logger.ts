import { Context } from '@temporalio/activity';
import type { Logger as TypeOrmLogger } from 'typeorm';

/** What a log line says about where it comes from; each field only when known. */
export interface LogContext {
  requestId?: string;
  companyId?: string;
  workflowId?: string;
  runId?: string;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Inside an activity, its workflow's id and run id; elsewhere nothing. */
function activityContext(): LogContext {
  try {
    const { workflowExecution } = Context.current().info;
    return workflowExecution ? { workflowId: workflowExecution.workflowId, runId: workflowExecution.runId } : {};
  } catch {
    return {};
  }
}

export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * One JSON object per line on stdout (errors on stderr): time, level, service, message, then, inside an activity, its
 * workflow id and run id, and the fields given (the API's line per request gives its request id and company id). The
 * API and the worker both log through this.
 */
export function createLogger(service: 'relance-api' | 'relance-worker', out: { write(line: string): unknown } = process.stdout,
  err: { write(line: string): unknown } = process.stderr): Logger {
  // Only the worker runs activities; asking elsewhere costs a thrown error per line (on every API request).
  const context = service === 'relance-worker' ? activityContext : () => ({});
  const log = (level: LogLevel, message: string, fields: Record<string, unknown> = {}) => {
    const line = JSON.stringify({
      time: new Date().toISOString(), level, service, msg: message, ...context(), ...fields,
    });
    (level === 'error' || level === 'warn' ? err : out).write(`${line}\n`);
  };
  return {
    log,
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
  };
}

/** An error as fields of a line: its message, and its stack when it has one. */
export function errorFields(err: unknown): { error: string; stack?: string } {
  return err instanceof Error ? { error: err.message, stack: err.stack } : { error: String(err) };
}

/**
 * TypeORM's lines through the same logger: failed queries (the query text, not its parameters, which hold customers'
 * data) and TypeORM's warnings; queries, schema builds and migrations are not logged, as with `logging: ['error']`.
 */
export function typeOrmLogger(logger: Logger): TypeOrmLogger {
  return {
    logQuery: () => undefined,
    logQueryError: (error, query) => logger.error('query failed', { ...errorFields(error), query }),
    logQuerySlow: (time, query) => logger.warn('slow query', { durationMs: time, query }),
    logSchemaBuild: () => undefined,
    logMigration: () => undefined,
    log: (level, message) => { if (level === 'warn') logger.warn(String(message), { source: 'typeorm' }); },
  };
}
