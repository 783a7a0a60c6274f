import type { ServerResponse } from 'node:http';

/**
 * Answers 200 with JSON that is already encoded (a page of stored views, see `jsonPage`), handed straight to Node:
 * Express's `send` would parse mime and charset, check freshness and copy the body (measured in bench/README.md).
 * Node drops the body of a HEAD request itself. The route takes `@Res()`; guards, pipes and the exception filter still
 * apply, since nothing is written until the body is ready.
 */
export function sendJson(res: ServerResponse, body: Buffer): void {
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length }).end(body);
}
