import { SESSION_ABSOLUTE_MS } from '../../domain/sessions';

export const SESSION_COOKIE = 'relance_session';
/** Readable by the console's script, which echoes it in the CSRF_HEADER: a cross-site page can do neither. */
export const CSRF_COOKIE = 'relance_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

/**
 * The Set-Cookie values of a new session: the session token HttpOnly (no script reads it), the CSRF token readable;
 * both SameSite=Lax, for the whole site, for the session's absolute lifetime, and Secure when the site is https.
 */
export function sessionCookies(tokens: { session: string; csrf: string }, secure: boolean): string[] {
  const maxAge = SESSION_ABSOLUTE_MS / 1000;
  return [
    cookie(SESSION_COOKIE, tokens.session, maxAge, { httpOnly: true, secure }),
    cookie(CSRF_COOKIE, tokens.csrf, maxAge, { httpOnly: false, secure }),
  ];
}

/** The Set-Cookie values that remove both cookies (sign-out). */
export function clearedSessionCookies(secure: boolean): string[] {
  return [cookie(SESSION_COOKIE, '', 0, { httpOnly: true, secure }), cookie(CSRF_COOKIE, '', 0, { httpOnly: false, secure })];
}

/** Whether cookies for this public URL are sent over https only. */
export function isSecureSite(publicUrl: string): boolean {
  return new URL(publicUrl).protocol === 'https:';
}

/** The value of cookie `name` in a Cookie header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

function cookie(name: string, value: string, maxAge: number, o: { httpOnly: boolean; secure: boolean }): string {
  return [`${name}=${value}`, 'Path=/', `Max-Age=${maxAge}`, ...(o.httpOnly ? ['HttpOnly'] : []), 'SameSite=Lax', ...(o.secure ? ['Secure'] : [])].join('; ');
}
