import { isIPv6 } from "node:net";

/**
 * The part of a client address that one party controls, for rate-limit keys:
 * an IPv4 address whole, an IPv6 address by its /64 (an ISP hands each
 * subscriber at least a /64, so per-/128 keys would give one person 2^64 buckets).
 *
 * @example
 * addressKey("2001:db8:1:2:aaaa::1"); // "2001:db8:1:2::/64"
 */
export function addressKey(ip: string | null): string {
  if (!ip) return "unknown";
  if (!isIPv6(ip)) return ip;
  return `${ipv6Groups(ip).slice(0, 4).join(":")}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, `::` expanded, as lowercase hex without leading zeros. */
function ipv6Groups(ip: string): string[] {
  const withoutZone = ip.split("%")[0] ?? ip;
  const [head = "", tail] = withoutZone.split("::");
  const split = (part: string) => (part ? part.split(":") : []);
  const left = split(head);
  const right = tail === undefined ? [] : split(tail);
  // An embedded IPv4 tail (::ffff:1.2.3.4, 64:ff9b::1.2.3.4) is two groups; only the first four groups matter here.
  const width = (groups: string[]) => groups.reduce((sum, group) => sum + (group.includes(".") ? 2 : 1), 0);
  const zeros = tail === undefined ? [] : Array(8 - width(left) - width(right)).fill("0");
  return [...left, ...zeros, ...right].map((group) =>
    group.includes(".") ? group : Number.parseInt(group, 16).toString(16),
  );
}
