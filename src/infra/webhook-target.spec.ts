import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkWebhookUrl, postToTarget, type Resolver, WebhookUrlRefused } from './webhook-target';

const resolving = (table: Record<string, string[]>): Resolver => async (host) => {
  const addresses = table[host];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

describe(checkWebhookUrl.name, () => {
  const closed = { allowPrivate: false, resolver: resolving({ 'hooks.example.com': ['93.184.216.34'], 'localhost': ['127.0.0.1', '::1'] }) };

  it.each([
    'http://127.0.0.1/h', 'http://127.1/h', 'http://2130706433/h', 'http://0x7f000001/h', 'http://0177.0.0.1/h', 'http://0x7f.1/h',
    'http://[::1]/h', 'http://[::ffff:127.0.0.1]/h', 'http://[::ffff:7f00:1]/h', 'http://[0:0:0:0:0:ffff:7f00:1]:8080/h',
    'http://10.0.0.1/h', 'http://[fd00::1]/h', 'http://100.64.0.1/h', 'http://localhost:3000/h', 'https://LOCALHOST/h',
  ])('refuses %s, which reaches our own network', async (url) => {
    await expect(checkWebhookUrl(url, closed)).rejects.toThrow(/loopback|private/);
  });

  it.each([
    'http://169.254.169.254/latest/meta-data', 'http://[fd00:ec2::254]/', 'http://[::ffff:169.254.169.254]/', 'http://[::ffff:a9fe:a9fe]/',
    'http://2852039166/', 'http://0xa9fea9fe/', 'http://169.254.1.1/', 'http://[fe80::1]/', 'http://0.0.0.0/', 'http://0/', 'http://[::]/',
  ])('refuses %s even when private addresses are allowed', async (url) => {
    await expect(checkWebhookUrl(url, { ...closed, allowPrivate: true })).rejects.toBeInstanceOf(WebhookUrlRefused);
  });

  it('refuses a host of which one resolved address is private (DNS may answer either), without naming that address', async () => {
    const resolver = resolving({ 'mixed.example.com': ['93.184.216.34', '10.0.0.7'], 'meta.example.com': ['169.254.169.254'], 'me.example.com': ['::1'] });
    const refusal = (url: string, allowPrivate = false) => checkWebhookUrl(url, { allowPrivate, resolver }).then(() => null, (err: Error) => err.message);
    // A refusal that named the address would answer what our resolver sees inside the network.
    expect(await refusal('https://mixed.example.com/h')).toBe('webhook URL https://mixed.example.com/h is refused: mixed.example.com resolves to a private network address');
    expect(await refusal('https://meta.example.com/h', true)).toBe('webhook URL https://meta.example.com/h is refused: meta.example.com resolves to a cloud metadata address');
    expect(await refusal('https://me.example.com/h')).toBe('webhook URL https://me.example.com/h is refused: me.example.com resolves to a loopback address');
    // An address written in the URL is the caller's own: naming it tells nothing.
    expect(await refusal('http://10.0.0.7/h')).toBe('webhook URL http://10.0.0.7/h is refused: 10.0.0.7 is a private network address');
  });

  it('refuses what is not an http(s) URL, carries credentials, or does not resolve', async () => {
    await expect(checkWebhookUrl('ftp://hooks.example.com/', closed)).rejects.toThrow('http or https');
    await expect(checkWebhookUrl('not a url', closed)).rejects.toThrow('not a valid URL');
    await expect(checkWebhookUrl('https://u:p@hooks.example.com/', closed)).rejects.toThrow('credentials');
    await expect(checkWebhookUrl('https://nowhere.invalid/', closed)).rejects.toThrow('does not resolve (ENOTFOUND)');
  });

  it('answers the checked address of a public host, and private ones when allowed', async () => {
    expect(await checkWebhookUrl('https://hooks.example.com/x', closed)).toMatchObject({ address: '93.184.216.34', family: 4 });
    expect(await checkWebhookUrl('http://localhost:3000/x', { ...closed, allowPrivate: true })).toMatchObject({ address: '127.0.0.1' });
  });
});

describe(postToTarget.name, () => {
  let server: Server;
  let port: number;
  const seen: Array<{ host: string | undefined; body: string }> = [];
  const timers: NodeJS.Timeout[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ host: req.headers.host, body });
        if (req.url === '/slow') return void timers.push(setTimeout(() => res.end('late'), 2000));
        res.writeHead(req.url === '/fail' ? 500 : 200).end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => {
    timers.forEach(clearTimeout);
    server.closeAllConnections();
    server.close(() => r());
  }));

  it('connects to the checked address, not to what the host name resolves to now (rebinding)', async () => {
    // The name would resolve elsewhere (nowhere, here): the pinned address is what is connected to.
    const target = { url: new URL(`http://rebound.example.test:${port}/hook`), address: '127.0.0.1', family: 4 as const };
    expect(await postToTarget(target, '{"a":1}', { 'content-type': 'application/json' }, 5000)).toEqual({ statusCode: 200, body: 'ok' });
    expect(seen.at(-1)).toEqual({ host: `rebound.example.test:${port}`, body: '{"a":1}' });
  });

  it('answers a non-2xx status as it is, and gives up after the timeout', async () => {
    const at = (path: string) => ({ url: new URL(`http://127.0.0.1:${port}${path}`), address: '127.0.0.1', family: 4 as const });
    expect((await postToTarget(at('/fail'), '{}', {}, 5000)).statusCode).toBe(500);
    await expect(postToTarget(at('/slow'), '{}', {}, 200)).rejects.toMatchObject({ name: expect.stringMatching(/AbortError|TimeoutError/) });
  });
});
