import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { json, NextFunction, Request, Response, urlencoded } from 'express';
import { Config } from '../config';
import { AppModule } from './app.module';
import { installConsole } from './console/console-pages';
import { methodGuard } from './common/allowed-methods';
import { INBOUND_PATH, inboundGate } from './inbound/inbound-gate';
import { ApiExceptionFilter } from './common/api-exception.filter';
import { installMetrics } from './common/http-metrics';
import { installRequestLog, JsonNestLogger } from './common/request-log';
import { MemoValidationPipe } from './common/validation.pipe';
import { openApiDocument } from './openapi';

/** The pages of emailed links, whose plain HTML forms post: an approval email's decision page, a reminder's answer page. */
const FORM_PATHS = ['/approvals/', '/r/'];

/**
 * A body that is not JSON is a 415, and a missing body reads as `{}`, so that validation names the missing
 * fields instead of a handler meeting `undefined`.
 */
function requireJsonBody(req: Request, res: Response, next: NextFunction): void {
  if (FORM_PATHS.some((p) => req.path.startsWith(p)) && req.is('application/x-www-form-urlencoded')) {
    next();
    return;
  }
  // Inbound mail is raw bytes, read by its own gate (or a 404 while the route does not exist).
  if (req.path === INBOUND_PATH) {
    next();
    return;
  }
  // A mail client's RFC 8058 one-click unsubscribe posts a form, whose content the route does not read.
  if (req.method === 'POST' && req.path.startsWith('/unsubscribe/')) {
    req.body = {};
    next();
    return;
  }
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !req.is('application/json')) {
    res.status(415).json({
      statusCode: 415, error: 'Unsupported Media Type', message: 'send the request body as JSON with "Content-Type: application/json"',
    });
    return;
  }
  if (req.body === undefined) req.body = {};
  next();
}

export async function createApp(config: Config, options: { logger?: false } = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    logger: options.logger ?? new JsonNestLogger(),
  });
  // No ETag: Express would hash every response body (21 KB for a page of invoices) for conditional GETs, which
  // API clients do not send; lists change with every write anyway.
  app.set('etag', false);
  // The client's address (req.ip, which the decision page's guess limit counts by) from the proxies' X-Forwarded-For.
  if (config.trustProxyHops > 0) app.set('trust proxy', config.trustProxyHops);
  installRequestLog(app);
  installMetrics(app);
  const { secret, bodyLimitBytes } = config.inbound;
  if (secret) app.use(INBOUND_PATH, inboundGate({ secret, bodyLimitBytes }));
  app.use(json({ limit: config.bodyLimit }));
  // A 2,000-character comment percent-encoded as 4-byte UTF-8 is 24 KB.
  app.use(FORM_PATHS, urlencoded({ extended: false, limit: '64kb' }));
  app.use(requireJsonBody);
  const document = openApiDocument(app);
  installConsole(app);
  app.use(methodGuard(document));
  app.useGlobalPipes(new MemoValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.useGlobalFilters(new ApiExceptionFilter());
  app.enableShutdownHooks();

  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
