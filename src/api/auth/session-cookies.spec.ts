import { clearedSessionCookies, isSecureSite, readCookie, sessionCookies } from './session-cookies';

describe(sessionCookies.name, () => {
  it('sets the session HttpOnly and the CSRF token readable, both SameSite=Lax on / for 12 h, Secure on an https site', () => {
    const [session, csrf] = sessionCookies({ session: 'S', csrf: 'C' }, isSecureSite('https://relance.example'));
    expect(session).toBe('relance_session=S; Path=/; Max-Age=43200; HttpOnly; SameSite=Lax; Secure');
    expect(csrf).toBe('relance_csrf=C; Path=/; Max-Age=43200; SameSite=Lax; Secure');
  });

  it('leaves Secure out on an http site (a workstation), which a browser would otherwise not send back', () => {
    const cookies = sessionCookies({ session: 'S', csrf: 'C' }, isSecureSite('http://127.0.0.1:3000'));
    expect(cookies.join('\n')).not.toContain('Secure');
  });
});

describe(clearedSessionCookies.name, () => {
  it('removes both cookies with the attributes they were set with', () => {
    expect(clearedSessionCookies(true)).toEqual([
      'relance_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure',
      'relance_csrf=; Path=/; Max-Age=0; SameSite=Lax; Secure',
    ]);
  });
});

describe(readCookie.name, () => {
  it('finds a cookie by its exact name among others', () => {
    expect(readCookie('a=1; relance_session_x=2; relance_session=abc', 'relance_session')).toBe('abc');
    expect(readCookie('relance_csrf=1', 'relance_session')).toBeUndefined();
    expect(readCookie(undefined, 'relance_session')).toBeUndefined();
  });
});
