import { DomainError } from '../domain/errors';
import { isUuid } from '../domain/ids';

/** Where a keyset page resumes: the order key of the last row of the previous page (as text) and its id. */
export interface KeysetCursor {
  key: string;
  id: string;
}

/** The one cursor format of every list: opaque to clients, a JSON pair in base64url. */
export function encodeCursor(key: string, id: string): string {
  return Buffer.from(JSON.stringify([key, id])).toString('base64url');
}

/** The cursor of a previous page, or a 400 that says to pass it unchanged. Keys are timestamps. */
export function decodeCursor(cursor: string): KeysetCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && typeof value[0] === 'string' && !Number.isNaN(Date.parse(value[0])) && isUuid(value[1])) {
      return { key: value[0], id: value[1] };
    }
  } catch {
    /* reported below */
  }
  throw new DomainError(400, 'cursor is not valid: pass the nextCursor of a previous page unchanged');
}
