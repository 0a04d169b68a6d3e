import { isIP } from 'node:net';

/**
 * The one check of "may hayon connect to this address?", used wherever hayon opens a connection
 * to a URL someone gave it: attachment downloads and signed callbacks (`safe-fetch.ts`, as each
 * socket connects), and callback URLs, hook callbacks and the instances and handles of connect
 * flows (`callback-url.ts`, when they are given).
 */

// Blocklisted IPv4 ranges are the IANA special-purpose ones that are not
// globally reachable, plus documentation and benchmarking nets.
const PRIVATE_V4: readonly [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4], // includes 255.255.255.255
];
const PRIVATE_V4_NETS = PRIVATE_V4.map(([base, bits]) => [parseV4(base), bits] as const);

/**
 * Whether an IP address (v4 or v6, with or without brackets) is globally reachable: false for
 * loopback, private, link-local, CGNAT, metadata, multicast, unspecified, documentation and
 * reserved addresses, and for IPv4 addresses wrapped in IPv6 (mapped, NAT64, 6to4) that are.
 * Anything that is not an IP address is not public.
 */
export function isPublicAddress(ip: string): boolean {
  const bare = ip.replace(/^\[(.*)\]$/, '$1');
  const version = isIP(bare);
  if (version === 4) return isPublicV4(parseV4(bare));
  if (version === 6) return isPublicV6(parseV6(bare));
  return false;
}

function isPublicV4(addr: number): boolean {
  return !PRIVATE_V4_NETS.some(([base, bits]) => (addr ^ base) >>> (32 - bits) === 0);
}

function isPublicV6(g: number[]): boolean {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const embedded = ((g6 << 16) | g7) >>> 0;
  // ::ffff:0:0/96 (IPv4-mapped) and 64:ff9b::/96 (NAT64) carry an IPv4 address in the last 32 bits.
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0xffff) return isPublicV4(embedded);
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return isPublicV4(embedded);
  // Only global unicast 2000::/3 is public: this drops ::, ::1, fc00::/7 (incl. fd00:ec2::254),
  // fe80::/10, ff00::/8, 64:ff9b:1::/48 and the other reserved blocks.
  if ((g0 & 0xe000) !== 0x2000) return false;
  if (g0 === 0x2002) return isPublicV4(((g1 << 16) | g2) >>> 0); // 6to4
  if (g0 === 0x2001 && g1 < 0x200) return false; // 2001::/23 protocol assignments, Teredo
  if (g0 === 0x2001 && g1 === 0xdb8) return false; // documentation
  if (g0 === 0x3fff && g1 < 0x1000) return false; // documentation 3fff::/20
  return true;
}

function parseV4(ip: string): number {
  return ip.split('.').reduce((acc, part) => ((acc << 8) | Number(part)) >>> 0, 0);
}

/** Eight 16-bit groups of an address `isIP` accepted as IPv6. */
function parseV6(ip: string): number[] {
  let text = ip.split('%')[0] ?? '';
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseV4(tail);
    text = `${text.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = rest ? rest.split(':') : [];
  const zeros = rest === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((part) => Number.parseInt(part, 16));
}
