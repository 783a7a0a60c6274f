import { beforeSending, classifyFailure, RenderFailed, WebhookAnswered } from './delivery-failures';

/** An error shaped as the library that throws it shapes it. */
function error(message: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(message), fields);
}

describe(classifyFailure.name, () => {
  it("counts a message that cannot be rendered as the record's own failure, with the helper's reason", () => {
    expect(classifyFailure(new RenderFailed(new RangeError('Invalid currency code : EURO'))))
      .toEqual({ kind: 'record', reason: 'the message could not be rendered: Invalid currency code : EURO' });
  });

  describe('Postgres', () => {
    it('counts unreachable as infrastructure whose statement never ran', () => {
      expect(classifyFailure(error('connect ECONNREFUSED 127.0.0.1:5432', { code: 'ECONNREFUSED', syscall: 'connect' })))
        .toMatchObject({ kind: 'infrastructure', effect: 'not-done' });
      // The Unix socket of a stopped server is gone.
      expect(classifyFailure(error('connect ENOENT /tmp/.s.PGSQL.5432', { code: 'ENOENT', syscall: 'connect' })))
        .toMatchObject({ kind: 'infrastructure', effect: 'not-done' });
    });

    it('counts a connection cut by a shutdown as infrastructure whose statement may have committed', () => {
      expect(classifyFailure(error('terminating connection due to administrator command', { code: '57P01', severity: 'FATAL' })))
        .toMatchObject({ kind: 'infrastructure', effect: 'unknown' });
      expect(classifyFailure(new Error('Connection terminated unexpectedly'))).toMatchObject({ kind: 'infrastructure', effect: 'unknown' });
    });

    it('counts a deadlock as infrastructure, and a data or constraint error as the record\'s', () => {
      expect(classifyFailure(error('deadlock detected', { code: '40P01', severity: 'ERROR' }))).toMatchObject({ kind: 'infrastructure', effect: 'not-done' });
      expect(classifyFailure(error('insert or update violates foreign key constraint', { code: '23503', severity: 'ERROR' })))
        .toEqual({ kind: 'record', reason: 'insert or update violates foreign key constraint' });
      expect(classifyFailure(error('value too long for type character varying(3)', { code: '22001', severity: 'ERROR' }))).toMatchObject({ kind: 'record' });
    });
  });

  describe('SMTP (nodemailer)', () => {
    it('counts a permanent refusal of the recipient or the message as the record\'s', () => {
      expect(classifyFailure(error("Can't send mail - all recipients were rejected: 550 5.1.1 no such user",
        { code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' }))).toMatchObject({ kind: 'record' });
      expect(classifyFailure(error('Message failed: 554 5.7.1 rejected', { code: 'EMESSAGE', responseCode: 554, command: 'DATA' })))
        .toMatchObject({ kind: 'record' });
      expect(classifyFailure(error('Invalid recipient "nope"', { code: 'EENVELOPE', command: 'API' }))).toMatchObject({ kind: 'record' });
    });

    it('counts a transient 4xx, and a 5xx about our account or server, as infrastructure not delivered', () => {
      expect(classifyFailure(error('421 4.7.0 try again later', { code: 'EENVELOPE', responseCode: 421, command: 'RCPT TO' })))
        .toEqual({ kind: 'infrastructure', effect: 'not-done', reason: '421 4.7.0 try again later' });
      expect(classifyFailure(error('Invalid login: 535 auth failed', { code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' })))
        .toMatchObject({ kind: 'infrastructure', effect: 'not-done' });
      expect(classifyFailure(error('Mail command failed: 550 sender rejected', { code: 'EENVELOPE', responseCode: 550, command: 'MAIL FROM' })))
        .toMatchObject({ kind: 'infrastructure', effect: 'not-done' });
    });

    it('counts a refused connection as not delivered, and a connection lost or timed out as unknown', () => {
      expect(classifyFailure(error('connect ECONNREFUSED 127.0.0.1:1025', { code: 'ESOCKET', syscall: 'connect', command: 'CONN' })))
        .toMatchObject({ kind: 'infrastructure', effect: 'not-done' });
      expect(classifyFailure(error('Connection closed unexpectedly', { code: 'ECONNECTION', command: 'CONN' })))
        .toMatchObject({ kind: 'infrastructure', effect: 'unknown' });
      expect(classifyFailure(error('Timeout', { code: 'ETIMEDOUT', command: 'CONN' }))).toMatchObject({ kind: 'infrastructure', effect: 'unknown' });
    });
  });

  describe('webhooks', () => {
    it('counts 408, 429 and 5xx answers as infrastructure, other non-2xx as the record\'s', () => {
      for (const status of [408, 429, 500, 503]) {
        expect(classifyFailure(new WebhookAnswered('http://hooks.test', status))).toMatchObject({ kind: 'infrastructure', effect: 'not-done' });
      }
      for (const status of [400, 401, 404, 410]) {
        expect(classifyFailure(new WebhookAnswered('http://hooks.test', status)))
          .toEqual({ kind: 'record', reason: `webhook http://hooks.test answered ${status}` });
      }
    });

    it('reads fetch\'s wrapped cause: refused is not delivered, a timeout may have been', () => {
      const refused = Object.assign(new TypeError('fetch failed'), { cause: error('connect ECONNREFUSED 127.0.0.1:9', { code: 'ECONNREFUSED', syscall: 'connect' }) });
      expect(classifyFailure(refused)).toEqual({ kind: 'infrastructure', effect: 'not-done', reason: 'fetch failed' });
      const reset = Object.assign(new TypeError('fetch failed'), { cause: error('other side closed', { code: 'UND_ERR_SOCKET' }) });
      expect(classifyFailure(reset)).toMatchObject({ kind: 'infrastructure', effect: 'unknown' });
      const timeout = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
      expect(classifyFailure(timeout)).toMatchObject({ kind: 'infrastructure', effect: 'unknown' });
    });
  });

  it('counts what failed before the send as not sent, even a connection lost mid-statement, and keeps a record\'s own failure', async () => {
    const lost = await beforeSending(() => Promise.reject(new Error('Connection terminated unexpectedly'))).catch((e: unknown) => e);
    expect(classifyFailure(lost)).toMatchObject({ kind: 'infrastructure', effect: 'not-done' });
    const data = await beforeSending(() => Promise.reject(error('invalid input syntax for type uuid', { code: '22P02', severity: 'ERROR' })))
      .catch((e: unknown) => e);
    expect(classifyFailure(data)).toMatchObject({ kind: 'record' });
    await expect(beforeSending(async () => 'link')).resolves.toBe('link');
  });

  it('takes anything unknown for infrastructure with an unknown effect', () => {
    expect(classifyFailure(new Error('SMTP connection reset'))).toEqual({ kind: 'infrastructure', effect: 'unknown', reason: 'SMTP connection reset' });
    expect(classifyFailure('a string')).toMatchObject({ kind: 'infrastructure', effect: 'unknown', reason: 'a string' });
  });
});
