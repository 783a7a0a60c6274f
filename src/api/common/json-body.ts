import type { ServerResponse } from 'node:http';

/**
 * Answers 200 with JSON that is already encoded (a page of stored views, see `jsonPage`), handed straight to Node.
 * Returning it to Nest instead goes through Express's `send`, which sets the type through its mime and charset
 * parsers, checks freshness headers, and copies the body before writing: about a fifth of the API's CPU for a page of
 * 50 invoices (`npm run bench:api`). Node writes the head and the body in one call, and drops the body of a HEAD
 * request itself. The route takes `@Res()`; guards, pipes and the exception filter still apply, since nothing is
 * written until the body is ready.
 */
export function sendJson(res: ServerResponse, body: Buffer): void {
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length }).end(body);
}
