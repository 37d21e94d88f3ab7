import dns from 'node:dns';
import net, { type LookupFunction } from 'node:net';
import { unprocessable } from '../../shared/errors/errors.js';

/** How long creating or updating an endpoint waits for DNS before accepting the URL unresolved. */
const LOOKUP_TIMEOUT_MS = 5000;

function ipv4Bytes(address: string): number[] | null {
  if (!net.isIPv4(address)) return null;
  return address.split('.').map(Number);
}

/**
 * Loopback, private, shared (CGNAT), link-local, "this network", IETF protocol assignments
 * (192.0.0.0/24), benchmarking (198.18.0.0/15, often routed inside networks), and also multicast,
 * reserved and broadcast: none is a place a webhook may legitimately go, and the first ones reach
 * the host and its neighbours (cloud metadata at 169.254.169.254) from inside.
 */
function isPrivateV4([a, b, c]: number[]): boolean {
  return (
    a === 0 ||
    (a === 192 && b === 0 && c === 0) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    a >= 224
  );
}

/** An IPv6 address as 16 bytes (zone id dropped, an embedded dotted quad folded in), or null. */
function ipv6Bytes(address: string): number[] | null {
  let s = address.toLowerCase();
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (!net.isIPv6(s)) return null;
  const lastColon = s.lastIndexOf(':');
  const quad = ipv4Bytes(s.slice(lastColon + 1));
  if (quad) s = `${s.slice(0, lastColon + 1)}${((quad[0] << 8) | quad[1]).toString(16)}:${((quad[2] << 8) | quad[3]).toString(16)}`;
  const halves = s.split('::');
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length > 1 && halves[1] ? halves[1].split(':') : [];
  const fill = halves.length > 1 ? 8 - head.length - tail.length : 0;
  const groups = [...head, ...Array<string>(fill).fill('0'), ...tail];
  if (groups.length !== 8) return null;
  return groups.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

function isPrivateV6(b: number[]): boolean {
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  if (zeros(0, 15) && (b[15] === 0 || b[15] === 1)) return true; // :: and ::1
  if ((b[0] & 0xfe) === 0xfc) return true; // fc00::/7 unique local
  if (b[0] === 0xfe && (b[1] & 0xc0) === 0x80) return true; // fe80::/10 link-local
  if (b[0] === 0xfe && (b[1] & 0xc0) === 0xc0) return true; // fec0::/10 old site-local
  if (b[0] === 0xff) return true; // multicast
  // IPv4 inside IPv6 reaches the IPv4 address: mapped (::ffff:a.b.c.d), translated (SIIT,
  // ::ffff:0:a.b.c.d), compatible (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d, and the local-use
  // 64:ff9b:1::/48, whose whole range is the network's own) and 6to4 (2002:aabb:ccdd::).
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return isPrivateV4(b.slice(12));
  if (zeros(0, 8) && b[8] === 0xff && b[9] === 0xff && zeros(10, 12)) return isPrivateV4(b.slice(12));
  if (zeros(0, 12)) return isPrivateV4(b.slice(12));
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) return isPrivateV4(b.slice(12));
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && b[4] === 0x00 && b[5] === 0x01) return true;
  // Teredo (2001::/32) tunnels to an IPv4 address written inside it: refused whole.
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0x00 && b[3] === 0x00) return true;
  if (b[0] === 0x20 && b[1] === 0x02) return isPrivateV4(b.slice(2, 6));
  return false;
}

/** Whether an IP address (v4 or v6, as text) is one a webhook must not be sent to. */
export function isPrivateAddress(address: string): boolean {
  const v4 = ipv4Bytes(address);
  if (v4) return isPrivateV4(v4);
  const v6 = ipv6Bytes(address);
  return v6 ? isPrivateV6(v6) : false;
}

/** The host of a URL as an address or a name: `[::1]` → `::1`. */
export function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

const badUrl = (reason: string) => unprocessable(`The webhook address ${reason}`, { url: [reason] });

/** Parses an endpoint URL: absolute http(s), with a host and without credentials (else 422). */
export function parseWebhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw badUrl('must be an absolute http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badUrl('must use http or https');
  if (!url.hostname) throw badUrl('must name a host');
  // Secrets belong in the signature, not the URL; HTTP clients also refuse URLs with credentials.
  if (url.username || url.password) throw badUrl('must not contain a user name or password');
  return url;
}

/**
 * Refuses (422) a URL whose host is, or resolves to, a private address — unless private networks
 * are allowed (PARLEY_WEBHOOK_ALLOW_PRIVATE=1). A name that does not resolve now is accepted: it may
 * be set up later, and every send checks the addresses again anyway.
 */
export async function assertPublicUrl(url: URL, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return;
  const host = hostOf(url).toLowerCase().replace(/\.$/, '');
  const refuse = () => badUrl('must not point to a loopback, private or link-local address');
  if (net.isIP(host)) {
    if (isPrivateAddress(host)) throw refuse();
    return;
  }
  if (host === 'localhost' || host.endsWith('.localhost')) throw refuse();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), LOOKUP_TIMEOUT_MS);
  });
  const addresses = await Promise.race([dns.promises.lookup(host, { all: true }).catch(() => null), timeout]);
  clearTimeout(timer);
  if (addresses?.some((a) => isPrivateAddress(a.address))) throw refuse();
}

/**
 * A `lookup` for the HTTP client that fails the connection when the name resolves to a private
 * address. It checks the very addresses the socket then connects to, so a DNS answer that changes
 * between validation and sending (rebinding) cannot slip through.
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const bad = allowPrivate ? undefined : addresses.find((a) => isPrivateAddress(a.address));
      if (bad) {
        const refused = Object.assign(new Error(`${hostname} resolves to a private address (${bad.address})`), { code: 'EPRIVATE' });
        return callback(refused, '', 0);
      }
      if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
