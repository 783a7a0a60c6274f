import { createServer, type Server, type Socket } from 'node:net';
import { classifyFailure } from '../../src/infra/delivery-failures';
import { createMailer } from '../../src/infra/mailer';

/**
 * An SMTP server that takes a message and then goes silent (a hung relay): the send fails once the socket has been
 * quiet for the transport's socketTimeout, as an infrastructure failure whose effect is unknown (the outbox's "in
 * doubt"), instead of waiting nodemailer's default ten minutes.
 */
describe('the mailer against an SMTP server that stops answering', () => {
  let server: Server;
  let port: number;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    server = createServer((socket) => {
      sockets.push(socket);
      let inData = false;
      socket.write('220 hung.test ESMTP\r\n');
      socket.on('data', (chunk) => {
        for (const line of chunk.toString('latin1').split('\r\n').filter(Boolean)) {
          if (inData) continue; // the message, then its final "." is never answered
          if (/^(EHLO|HELO)/i.test(line)) socket.write('250 hung.test\r\n');
          else if (/^(MAIL|RCPT)/i.test(line)) socket.write('250 OK\r\n');
          else if (/^DATA/i.test(line)) {
            inData = true;
            socket.write('354 go ahead\r\n');
          }
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    sockets.forEach((s) => s.destroy());
    await new Promise((r) => server.close(r));
  });

  it('gives up after the socket timeout, as an infrastructure failure of unknown effect', async () => {
    const mailer = createMailer(`smtp://127.0.0.1:${port}?socketTimeout=800`, 'Relance <no-reply@relance.test>');
    const started = Date.now();
    const sent = mailer.send({ to: 'buyer@hung.test', subject: 'Reminder', text: 'Please pay.' });
    const err = await sent.then(() => null, (e: unknown) => e);
    const waited = Date.now() - started;
    mailer.close();
    expect(err).not.toBeNull();
    expect(waited).toBeGreaterThanOrEqual(700);
    expect(waited).toBeLessThan(10_000);
    expect(classifyFailure(err)).toMatchObject({ kind: 'infrastructure', effect: 'unknown' });
  });
});
