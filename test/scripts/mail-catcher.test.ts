import { ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { freePort } from '../support/net';
import { until } from '../support/until';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * The tests' SMTP listener (scripts/mail-catcher.js) outlives its clients: a suite that kills a worker with SIGKILL
 * resets that worker's pooled SMTP connection, and every suite after it still needs the listener.
 */
describe('the tests\' mail catcher', () => {
  let catcher: ChildProcess;
  let smtpPort: number;
  let httpPort: number;
  let output = '';

  beforeAll(async () => {
    smtpPort = await freePort();
    httpPort = await freePort();
    catcher = spawn(process.execPath, ['scripts/mail-catcher.js', '--smtp-port', String(smtpPort), '--http-port', String(httpPort)],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    catcher.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    catcher.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    await until(() => fetch(`http://127.0.0.1:${httpPort}/api/messages`).then((r) => r.ok, () => false), (ok) => ok, 'the mail catcher');
  });
  afterAll(() => {
    if (catcher.exitCode === null) catcher.kill('SIGTERM');
  });

  it('keeps listening after a client resets its connection in the middle of a message', async () => {
    await new Promise<void>((resolve, reject) => {
      const socket = connect(smtpPort, '127.0.0.1');
      const script = ['EHLO killed-worker', 'MAIL FROM:<relance@example.test>', 'RCPT TO:<someone@example.test>', 'DATA'];
      socket.on('data', () => {
        const next = script.shift();
        if (next) return void socket.write(`${next}\r\n`);
        // A worker killed with SIGKILL while it sends: the kernel resets its connection.
        socket.write('Subject: cut short\r\n');
        setTimeout(() => {
          socket.resetAndDestroy();
          resolve();
        }, 100);
      });
      socket.once('error', reject);
    });
    await new Promise((r) => setTimeout(r, 500));
    expect({ exitCode: catcher.exitCode, output }).toEqual({ exitCode: null, output: expect.any(String) });

    const to = `after-reset-${Date.now()}@example.test`;
    await nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true })
      .sendMail({ from: 'relance@example.test', to, subject: 'still here', text: 'hello' });
    const caught = (await (await fetch(`http://127.0.0.1:${httpPort}/api/messages?to=${encodeURIComponent(to)}`)).json()) as { subject: string }[];
    expect(caught.map((m) => m.subject)).toEqual(['still here']);
  });
});
