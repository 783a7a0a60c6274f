import type { Response } from 'express';

/** A page a token link opens (decision, unsubscribe, customer answer), and its status. */
export interface RenderedPage {
  status: number;
  html: string;
  /** With a 429: when the address may try unknown links again. */
  retryAfterSeconds?: number;
}

/**
 * Answers a token link's page: never cached (the token is in its path), no referrer leaving it, only the page's own
 * policy (`csp`), never framed.
 */
export function sendTokenPage(res: Response, page: RenderedPage, csp: string): void {
  res.status(page.status)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
    });
  if (page.retryAfterSeconds !== undefined) res.set('Retry-After', String(page.retryAfterSeconds));
  res.send(page.html);
}
