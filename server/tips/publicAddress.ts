import { isIPv4, isIPv6 } from 'node:net';

/**
 * Whether an IP address is a public Internet address: the only kind the server may fetch from on
 * behalf of something it did not configure (a redirect from the SMS provider). Anything that
 * reaches the server itself, its network or a special-purpose range (IANA's special-purpose
 * registries, RFC 6890) is refused, including IPv6 forms that carry such an IPv4 address
 * (IPv4-mapped, NAT64, 6to4). Unparseable text is not public.
 */
export function isPublicAddress(address: string): boolean {
  if (isIPv4(address)) return isPublicV4(parseV4(address));
  if (isIPv6(address)) return isPublicV6(parseV6(address));
  return false;
}

/** [first address, prefix length] of each IPv4 range that is not public. */
const PRIVATE_V4: readonly (readonly [string, number])[] = [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata lives here)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and the broadcast address
];

const PRIVATE_V4_MASKS = PRIVATE_V4.map(([base, bits]) => {
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { net: (parseV4(base) & mask) >>> 0, mask };
});

function parseV4(address: string): number {
  return address.split('.').reduce((acc, part) => ((acc << 8) | Number(part)) >>> 0, 0);
}

function isPublicV4(value: number): boolean {
  return !PRIVATE_V4_MASKS.some(({ net, mask }) => (value & mask) >>> 0 === net);
}

/** The eight 16-bit groups of a valid IPv6 address (a trailing dotted IPv4 part included). */
function parseV6(address: string): number[] {
  let text = address.replace(/%.*$/, '').toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = parseV4(dotted[1]!);
    text = `${text.slice(0, dotted.index)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const groups = (part: string | undefined) =>
    part ? part.split(':').map((g) => parseInt(g, 16)) : [];
  const front = groups(head);
  const back = groups(tail);
  const zeros = tail === undefined ? [] : new Array<number>(8 - front.length - back.length).fill(0);
  return [...front, ...zeros, ...back];
}

function embeddedV4(groups: readonly number[], at: number): number {
  return ((groups[at]! << 16) | groups[at + 1]!) >>> 0;
}

function isPublicV6(g: readonly number[]): boolean {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = g;
  // ::ffff:a.b.c.d (IPv4-mapped): the socket would reach the IPv4 address.
  if (a === 0 && b === 0 && c === 0 && d === 0 && e === 0 && f === 0xffff) {
    return isPublicV4(embeddedV4(g, 6));
  }
  // 64:ff9b::a.b.c.d (NAT64, RFC 6052): a gateway translates it to the IPv4 address.
  if (a === 0x64 && b === 0xff9b && c === 0 && d === 0 && e === 0 && f === 0) {
    return isPublicV4(embeddedV4(g, 6));
  }
  // 2002:abcd:ef01::/48 (6to4) wraps the IPv4 address in its second and third groups.
  if (a === 0x2002) return isPublicV4(embeddedV4(g, 1));
  // Only global unicast (2000::/3) is public; that leaves out ::, ::1, the IPv4-compatible
  // ::/96, unique-local fc00::/7, link-local fe80::/10, site-local fec0::/10, multicast ff00::/8
  // and the NAT64 local-use 64:ff9b:1::/48.
  if ((a & 0xe000) !== 0x2000) return false;
  // IETF protocol assignments 2001::/23 (Teredo among them) and documentation 2001:db8::/32.
  if (a === 0x2001 && (b < 0x200 || b === 0xdb8)) return false;
  // Documentation 3fff::/20 (RFC 9637).
  if (a === 0x3fff && b < 0x1000) return false;
  return true;
}
