import { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { NextFunction, Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { errorFields } from '../../infra/logger';
import { createApiMetrics, metricsAuthorized, metricsToken, refuseScrape } from '../../infra/metrics';
import { apiLogger } from './request-log';

/**
 * GET /metrics (Prometheus text format) and the HTTP histogram behind it. A request is labelled with the route
 * template Express matched (`/v1/invoices/:id`, `/approvals/:token`), so ids and links' tokens never become label
 * values; a path no route matched is `unmatched`. /metrics itself is not counted. With METRICS_TOKEN set, a scrape
 * without `Authorization: Bearer <it>` is a 401.
 */
export function installMetrics(app: INestApplication, token = metricsToken()): void {
  const { registry, httpDuration } = createApiMetrics(app.get<DataSource>(getDataSourceToken()));
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.path === '/metrics') {
      if (req.method !== 'GET') {
        next();
        return;
      }
      if (token && !metricsAuthorized(req.headers.authorization, token)) {
        refuseScrape(res);
        return;
      }
      registry.metrics().then(
        (text) => res.status(200).type(registry.contentType).send(text),
        // The gauges read Postgres: its driver's text goes to the log, not to whoever scrapes.
        (err: Error) => {
          apiLogger.error('metrics unavailable', errorFields(err));
          res.status(503).type('text/plain').send('metrics unavailable\n');
        },
      );
      return;
    }
    const end = httpDuration.startTimer();
    res.once('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path;
      end({ method: req.method, route: route ? `${req.baseUrl}${route}` : 'unmatched', status: String(res.statusCode) });
    });
    next();
  });
}
