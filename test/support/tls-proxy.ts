import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';

export interface Pki {
  dir: string;
  /** Paths of PEM files. */
  file(name: string): string;
}

/** A certificate authority, the proxy's server certificate (127.0.0.1 and localhost) and client certificates, made by the openssl CLI. */
export function makePki(): Pki & { ca: string; serverCert: string; serverKey: string; clientCert: string; clientKey: string; strangerCert: string; strangerKey: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'relance-pki-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const ca = (name: string) => openssl('req', '-x509', ...newKey, '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '2', '-subj', `/CN=${name}`);
  const leaf = (name: string, issuer: string, extensions: string) => {
    openssl('req', ...newKey, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    writeFileSync(path.join(dir, `${name}.ext`), `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\n${extensions}\n`);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${issuer}.crt`, '-CAkey', `${issuer}.key`, '-CAcreateserial',
      '-out', `${name}.crt`, '-days', '2', '-extfile', `${name}.ext`);
  };
  ca('relance-test-ca');
  ca('stranger-ca');
  leaf('server', 'relance-test-ca', 'extendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost');
  leaf('client', 'relance-test-ca', 'extendedKeyUsage=clientAuth');
  leaf('stranger', 'stranger-ca', 'extendedKeyUsage=clientAuth');
  const file = (name: string) => path.join(dir, name);
  return {
    dir, file,
    ca: file('relance-test-ca.crt'), serverCert: file('server.crt'), serverKey: file('server.key'),
    clientCert: file('client.crt'), clientKey: file('client.key'), strangerCert: file('stranger.crt'), strangerKey: file('stranger.key'),
  };
}

/**
 * What a TLS-terminating load balancer in front of Temporal does: TLS 1.2+ with ALPN h2 (gRPC), a client certificate
 * signed by `ca` required, then the bytes piped to the plain gRPC port. Counts refused handshakes.
 */
export class TlsProxy {
  address = '';
  readonly refused: string[] = [];
  accepted = 0;
  private readonly server: tls.Server;
  private readonly sockets = new Set<net.Socket>();

  constructor(private readonly target: string, pki: { ca: string; serverCert: string; serverKey: string }) {
    this.server = tls.createServer({
      key: readFileSync(pki.serverKey), cert: readFileSync(pki.serverCert), ca: readFileSync(pki.ca),
      requestCert: true, rejectUnauthorized: true, ALPNProtocols: ['h2'],
    }, (socket) => {
      this.accepted += 1;
      const [host, port] = this.target.split(':');
      const upstream = net.connect(Number(port), host);
      this.sockets.add(socket).add(upstream);
      socket.pipe(upstream).pipe(socket);
      const close = () => { socket.destroy(); upstream.destroy(); };
      socket.on('error', close).on('close', close);
      upstream.on('error', close).on('close', close);
    });
    this.server.on('tlsClientError', (err) => this.refused.push(err.message));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.address = `127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
