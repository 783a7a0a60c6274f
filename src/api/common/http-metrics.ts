import { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { NextFunction, Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { createApiMetrics } from '../../infra/metrics';

/**
 * GET /metrics (Prometheus text format) and the HTTP histogram behind it. A request is labelled with the route
 * template Express matched (`/v1/invoices/:id`), so ids never become label values; a path no route matched is
 * `unmatched`. /metrics itself is not counted.
 */
export function installMetrics(app: INestApplication): void {
  const { registry, httpDuration } = createApiMetrics(app.get<DataSource>(getDataSourceToken()));
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.path === '/metrics') {
      if (req.method !== 'GET') {
        next();
        return;
      }
      registry.metrics().then(
        (text) => res.status(200).type(registry.contentType).send(text),
        (err: Error) => res.status(503).type('text/plain').send(`metrics unavailable: ${err.message}\n`),
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
