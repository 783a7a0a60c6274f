import { isIP } from 'node:net';

/**
 * What an IP address reaches, for the guard on URLs a company can set (webhooks): anything but `public` is inside our
 * network or nowhere. `metadata` are the cloud instance-metadata services (credentials of the machine).
 */
export type AddressClass = 'public' | 'loopback' | 'private' | 'linkLocal' | 'metadata' | 'unspecified' | 'reserved';

type Range = [base: number, bits: number, cls: AddressClass];

const v4 = (a: number, b: number, c: number, d: number) => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

// Most specific first: the first range that holds the address names its class.
const IPV4_RANGES: Range[] = [
  [v4(169, 254, 169, 254), 32, 'metadata'], // AWS, GCP, Azure, OpenStack
  [v4(169, 254, 170, 2), 32, 'metadata'], // AWS ECS task metadata
  [v4(100, 100, 100, 200), 32, 'metadata'], // Alibaba Cloud
  [v4(0, 0, 0, 0), 8, 'unspecified'], // "this network": 0.0.0.0 reaches the local host on Linux
  [v4(127, 0, 0, 0), 8, 'loopback'],
  [v4(10, 0, 0, 0), 8, 'private'],
  [v4(172, 16, 0, 0), 12, 'private'],
  [v4(192, 168, 0, 0), 16, 'private'],
  [v4(100, 64, 0, 0), 10, 'private'], // carrier-grade NAT (RFC 6598)
  [v4(198, 18, 0, 0), 15, 'private'], // benchmarking networks (RFC 2544)
  [v4(169, 254, 0, 0), 16, 'linkLocal'],
  [v4(192, 0, 0, 0), 24, 'reserved'], // IETF protocol assignments
  [v4(192, 0, 2, 0), 24, 'reserved'], // documentation
  [v4(198, 51, 100, 0), 24, 'reserved'],
  [v4(203, 0, 113, 0), 24, 'reserved'],
  [v4(192, 88, 99, 0), 24, 'reserved'], // 6to4 relay anycast
  [v4(224, 0, 0, 0), 4, 'reserved'], // multicast
  [v4(240, 0, 0, 0), 4, 'reserved'], // reserved, and the broadcast address
];

function classifyV4(n: number): AddressClass {
  for (const [base, bits, cls] of IPV4_RANGES) {
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    if (((n & mask) >>> 0) === base) return cls;
  }
  return 'public';
}

function parseV4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  const [a, b, c, d] = parts.map(Number);
  return v4(a, b, c, d);
}

/** An IPv6 text without its zone id (`fe80::1%eth0`). */
function withoutZone(text: string): string {
  const at = text.indexOf('%');
  return at < 0 ? text : text.slice(0, at);
}

/** The eight 16-bit groups of a valid IPv6 text (zone id dropped, embedded dotted IPv4 read). */
function parseV6(text: string): number[] | null {
  let s = withoutZone(text).toLowerCase();
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    const n = parseV4(tail);
    if (n === null) return null;
    s = `${s.slice(0, lastColon + 1)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => parseInt(g, 16));
}

function classifyV6(g: number[]): AddressClass {
  const zero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  const embedded = (hi: number, lo: number) => classifyV4(((g[hi] << 16) | g[lo]) >>> 0);
  if (zero(0, 8)) return 'unspecified';
  if (zero(0, 7) && g[7] === 1) return 'loopback';
  // Forms that carry an IPv4 address, which is what they reach: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d),
  // SIIT (::ffff:0:a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::).
  if (zero(0, 5) && g[5] === 0xffff) return embedded(6, 7);
  if (zero(0, 6)) return embedded(6, 7);
  if (zero(0, 4) && g[4] === 0xffff && g[5] === 0) return embedded(6, 7);
  if (g[0] === 0x64 && g[1] === 0xff9b && zero(2, 6)) return embedded(6, 7);
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return 'private'; // local-use NAT64 (RFC 8215)
  if (g[0] === 0x2002) {
    const inner = embedded(1, 2);
    return inner === 'public' ? 'public' : inner;
  }
  if (g[0] === 0xfd00 && g[1] === 0x0ec2 && zero(2, 7) && g[7] === 0x254) return 'metadata'; // AWS over IPv6
  if ((g[0] & 0xfe00) === 0xfc00) return 'private'; // unique local fc00::/7
  if ((g[0] & 0xffc0) === 0xfe80) return 'linkLocal';
  if ((g[0] & 0xffc0) === 0xfec0) return 'private'; // deprecated site-local
  if ((g[0] & 0xff00) === 0xff00) return 'reserved'; // multicast
  if (g[0] === 0x2001 && g[1] === 0x0db8) return 'reserved'; // documentation
  if (g[0] === 0x2001 && g[1] === 0) return 'reserved'; // Teredo: an obfuscated IPv4 inside
  if (g[0] === 0x0100 && zero(1, 4)) return 'reserved'; // discard-only
  return 'public';
}

/** The class of an IP address in text (IPv4 dotted quad or IPv6, with or without brackets); null if it is not one. */
export function classifyAddress(address: string): AddressClass | null {
  const text = address.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(withoutZone(text));
  if (family === 4) return classifyV4(parseV4(text)!);
  if (family === 6) {
    const groups = parseV6(text);
    return groups ? classifyV6(groups) : null;
  }
  return null;
}

/**
 * Why a company may not make us connect to this address, or null when it may. Loopback and private networks are
 * allowed only with `allowPrivate` (dev and tests: RELANCE_WEBHOOK_ALLOW_PRIVATE=true); link-local, metadata,
 * unspecified and reserved addresses never.
 */
export function addressRefusal(address: string, options: { allowPrivate: boolean }): string | null {
  const what = refusedKind(address, options);
  return what && `${address} is ${what}`;
}

/** What kind of refused address this is ("a private network address"), without the address; null when allowed. */
export function refusedKind(address: string, options: { allowPrivate: boolean }): string | null {
  const cls = classifyAddress(address);
  if (cls === null) return 'not an IP address';
  if (cls === 'public') return null;
  if ((cls === 'loopback' || cls === 'private') && options.allowPrivate) return null;
  const what: Record<Exclude<AddressClass, 'public'>, string> = {
    loopback: 'a loopback address', private: 'a private network address', linkLocal: 'a link-local address',
    metadata: 'a cloud metadata address', unspecified: 'an unspecified address', reserved: 'a reserved or multicast address',
  };
  return what[cls];
}
