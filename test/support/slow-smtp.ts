import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP listener that takes `delayMs` to accept each message, so that a sweep lasts long enough to be
 * interrupted in the middle. Keeps each message's `X-Relance-Delivery` header (delivery keys hold no whitespace: a folded header is joined).
 */
export class SlowSmtp {
  readonly keys: string[] = [];
  private server?: SMTPServer;

  constructor(private readonly delayMs: number) {}

  async start(): Promise<string> {
    this.server = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const head = Buffer.concat(chunks).toString('utf8').split(/\r?\n\r?\n/)[0];
          const key = /^x-relance-delivery:\s*(.*(?:\r?\n[ \t].*)*)/im.exec(head)?.[1].replace(/\r?\n[ \t]+/g, '').trim();
          setTimeout(() => {
            this.keys.push(key ?? '');
            callback();
          }, this.delayMs);
        });
      },
    });
    // A client killed in the middle of a message (the crash test's worker) resets its connection: not the suite's error.
    this.server.on('error', () => undefined);
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  /** How many messages carried each delivery key. */
  countsByKey(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const k of this.keys) counts.set(k, (counts.get(k) ?? 0) + 1);
    return counts;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
