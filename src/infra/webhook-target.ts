import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { addressRefusal, classifyAddress, refusedKind } from '../domain/address-policy';

export type Resolver = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

const systemResolver: Resolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

/** A URL a company may not make us call, with the reason (answered as a 400 by the API). */
export class WebhookUrlRefused extends Error {
  constructor(readonly url: string, readonly reason: string) {
    super(`webhook URL ${url} is refused: ${reason}`);
    this.name = 'WebhookUrlRefused';
  }
}

export interface TargetPolicy {
  allowPrivate: boolean;
  resolver?: Resolver;
}

/** Where a checked URL connects: the URL, and the one address that was checked (connected to, never resolved again). */
export interface CheckedTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

/**
 * Resolves the URL's host and checks every address it resolves to (one bad address refuses the URL: DNS may answer
 * either). Throws WebhookUrlRefused; a host that does not resolve is refused too, as the company may not have meant it.
 */
export async function checkWebhookUrl(text: string, policy: TargetPolicy): Promise<CheckedTarget> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new WebhookUrlRefused(text, 'it is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new WebhookUrlRefused(text, 'it must use http or https');
  if (url.username || url.password) throw new WebhookUrlRefused(text, 'it must not carry credentials');
  // WHATWG URL has normalised IPv4 shorthands (127.1, 0x7f000001, 2130706433) and IPv6 forms already.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: Array<{ address: string; family: number }>;
  if (classifyAddress(host) !== null) {
    addresses = [{ address: host, family: host.includes(':') ? 6 : 4 }];
  } else {
    try {
      addresses = await (policy.resolver ?? systemResolver)(host);
    } catch (err) {
      throw new WebhookUrlRefused(text, `its host ${host} does not resolve (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    if (addresses.length === 0) throw new WebhookUrlRefused(text, `its host ${host} does not resolve`);
  }
  for (const a of addresses) {
    // A resolved address is never named: the refusal would tell the caller what our resolver sees inside the network.
    const why = host === a.address ? addressRefusal(a.address, policy) : refusedKind(a.address, policy);
    if (why) throw new WebhookUrlRefused(text, host === a.address ? why : `${host} resolves to ${why}`);
  }
  const first = addresses[0];
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}

export interface WebhookAnswer {
  statusCode: number;
  /** The first bytes of the answer, for the deliveries log. */
  body: string;
}

const MAX_ANSWER_BYTES = 2048;

/**
 * POSTs to a checked target, connecting to its checked address (the host name still goes in Host and TLS SNI, and
 * the certificate is verified against it): a DNS answer that changed since the check (rebinding) is never used.
 * Redirects are not followed. Rejects on a network error or after `timeoutMs` without a complete answer.
 */
export function postToTarget(target: CheckedTarget, body: string, headers: Record<string, string>, timeoutMs: number): Promise<WebhookAnswer> {
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) {
      (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address: target.address, family: target.family }]);
    } else {
      callback(null, target.address, target.family);
    }
  };
  const transport = target.url.protocol === 'https:' ? https : http;
  return new Promise<WebhookAnswer>((resolve, reject) => {
    const req = transport.request(target.url, {
      method: 'POST',
      lookup: pinned,
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      signal: AbortSignal.timeout(timeoutMs),
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < MAX_ANSWER_BYTES) chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_ANSWER_BYTES) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
