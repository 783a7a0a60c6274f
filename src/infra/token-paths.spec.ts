import { redactTokenPaths, TOKEN_PATHS } from './token-paths';

describe(redactTokenPaths.name, () => {
  const token = 'q2Vb0nIY9W1ZfXcEJtWZf5o1mQ0YdLxH7aB_c-3kTQs';

  it('replaces the token of every token path in paths, URLs and sentences', () => {
    expect(TOKEN_PATHS).toEqual(expect.arrayContaining(['/approvals/', '/unsubscribe/', '/app/sign-in/']));
    expect(redactTokenPaths(`https://relance.example/app/sign-in/${token}`)).toBe('https://relance.example/app/sign-in/:token');
    expect(redactTokenPaths(`/approvals/${token}`)).toBe('/approvals/:token');
    expect(redactTokenPaths(`/approvals/${token}?from=mail#x`)).toBe('/approvals/:token?from=mail#x');
    expect(redactTokenPaths(`GET /approvals/${token}/pdf`)).toBe('GET /approvals/:token/pdf');
    expect(redactTokenPaths(`http://api.example.com:3000/unsubscribe/${token}/`)).toBe('http://api.example.com:3000/unsubscribe/:token/');
    expect(redactTokenPaths(`Cannot POST /unsubscribe/${token}, twice: "/approvals/${token}"`))
      .toBe('Cannot POST /unsubscribe/:token, twice: "/approvals/:token"');
    expect(redactTokenPaths(`/approvals/%E2%82%AC${token}`)).toBe('/approvals/:token');
    expect(redactTokenPaths(`POST /r/${token}`)).toBe('POST /r/:token');
    expect(redactTokenPaths(`https://relance.example/r/${token}?utm=x`)).toBe('https://relance.example/r/:token?utm=x');
  });

  it('leaves other paths alone', () => {
    for (const text of ['/v1/invoices/12/approve', '/approvals/', '/v1/invoices/:id/approval', 'unsubscribe me', '/app/sign-in', '/v1/invoices/:id/dispute/resolve', '']) {
      expect(redactTokenPaths(text)).toBe(text);
    }
  });
});
