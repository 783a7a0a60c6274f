import type { NextFunction, Request, Response } from 'express';
import { raw } from 'express';
import { matchesSecret, secretDigest } from '../../infra/shared-secret';

export const INBOUND_PATH = '/v1/inbound/email';

/** The media types a raw message comes as: RFC 5322 bytes, or the same bytes as `curl --data-binary` and many hooks send them. */
export const INBOUND_MEDIA_TYPES = ['message/rfc822', 'application/octet-stream'];

export interface InboundAccess {
  /** RELANCE_INBOUND_SECRET. */
  secret: string;
  /** INBOUND_BODY_LIMIT, in bytes. */
  bodyLimitBytes: number;
}

function refuse(res: Response, statusCode: number, error: string, message: string): void {
  res.status(statusCode).json({ statusCode, error, message });
}

/**
 * What stands before the inbound route: the bearer secret first, so that no body is read for a caller without it;
 * then the media type; then the body, read raw up to INBOUND_BODY_LIMIT (a Content-Length above it is refused before
 * a byte is read).
 */
export function inboundGate(access: InboundAccess) {
  const digest = secretDigest(access.secret);
  const parse = raw({ type: () => true, limit: access.bodyLimitBytes });
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'POST') return next();
    const bearer = /^Bearer +(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!bearer || !matchesSecret(bearer[1], digest)) return refuse(res, 401, 'Unauthorized', 'send "Authorization: Bearer <RELANCE_INBOUND_SECRET>"');
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (hasBody && !req.is(INBOUND_MEDIA_TYPES)) {
      return refuse(res, 415, 'Unsupported Media Type', `send the raw message with "Content-Type: ${INBOUND_MEDIA_TYPES.join('" or "')}"`);
    }
    parse(req, res, (err?: { type?: string }) => {
      if (err?.type === 'entity.too.large') return refuse(res, 413, 'Payload Too Large', `the message is larger than INBOUND_BODY_LIMIT (${access.bodyLimitBytes} bytes)`);
      if (err) return refuse(res, 400, 'Bad Request', 'the message could not be read');
      if (!Buffer.isBuffer(req.body)) req.body = Buffer.alloc(0);
      next();
    });
  };
}
