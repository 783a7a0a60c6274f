import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { NextFunction, Request, Response, static as serveStatic } from 'express';

/** Where the build puts the console: dist/console beside dist/api. */
const CONSOLE_DIR = path.join(__dirname, '..', '..', 'console');

/**
 * The console's pages run only the console's own code, talk only to this origin, and cannot be framed (a framed
 * console could be overlaid to trick a click on "Approve").
 */
const PAGE_HEADERS: Record<string, string> = {
  'Content-Security-Policy': [
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
    "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
  ].join('; '),
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

function setPageHeaders(res: Response): void {
  for (const [name, value] of Object.entries(PAGE_HEADERS)) res.setHeader(name, value);
}

/**
 * The console's one page, kept in memory and sent as it is: `sendFile` stats, opens and streams the file on the thread
 * pool for every page load, while the page is a few hundred bytes that change only when the console is rebuilt.
 */
export class IndexPage {
  private cached?: { mtimeMs: number; body: Buffer };

  constructor(private readonly file: string) {}

  /** The page, read again when the build replaced it; undefined when the console is not built. */
  body(): Buffer | undefined {
    const stat = statSync(this.file, { throwIfNoEntry: false });
    if (!stat) return undefined;
    if (this.cached?.mtimeMs !== stat.mtimeMs) this.cached = { mtimeMs: stat.mtimeMs, body: readFileSync(this.file) };
    return this.cached.body;
  }
}

/**
 * Serves the console at /app: its hashed assets for a year, and for every other path under /app its one page, which
 * routes in the browser. It is a client of /v1 like any other; nothing here reads data.
 */
export function installConsole(app: INestApplication): void {
  const express = app as NestExpressApplication;
  const index = new IndexPage(path.join(CONSOLE_DIR, 'index.html'));
  express.use('/app/assets', (_req: Request, res: Response, next: NextFunction) => {
    setPageHeaders(res);
    next();
  }, serveStatic(path.join(CONSOLE_DIR, 'assets'), { index: false, immutable: true, maxAge: '365d', fallthrough: false }));
  express.use('/app', (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      next();
      return;
    }
    setPageHeaders(res);
    res.setHeader('Cache-Control', 'no-store');
    const body = index.body();
    if (!body) {
      res.status(404).json({ statusCode: 404, error: 'Not Found', message: 'the console is not built: run `npm run build`' });
      return;
    }
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Content-Length', body.length);
    res.end(req.method === 'HEAD' ? undefined : body);
  });
}
