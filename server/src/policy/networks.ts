import { BlockList, isIP, isIPv4 } from "node:net";

/** A list of networks (CIDR), IPv4 and IPv6, that client addresses are matched against. */
export interface Networks {
  /** The networks as given, normalised (`10.0.0.0/8`, `2001:db8::/32`), for the start-up log. */
  readonly cidrs: readonly string[];
  /** True when `address` (as requestInfo resolves it) lies in one of them; an unknown address is in none. */
  includes(address: string | null): boolean;
}

/**
 * Parses `10.0.0.0/8, 2001:db8::/32, 192.0.2.7` (a bare address is that one
 * address: /32 or /128). Returns the entries that are not networks instead,
 * so start-up can name each.
 *
 * @example
 * const parsed = parseNetworks("10.0.0.0/8,fd00::/8");
 * if ("networks" in parsed) parsed.networks.includes("10.1.2.3"); // true
 */
export function parseNetworks(list: string): { networks: Networks } | { invalid: string[] } {
  const entries = list
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const blocks = new BlockList();
  const cidrs: string[] = [];
  const invalid: string[] = [];
  for (const entry of entries) {
    const [address = "", prefixText, extra] = entry.split("/");
    const family = isIP(address);
    const bits = family === 4 ? 32 : 128;
    const prefix = prefixText === undefined ? bits : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : Number.NaN;
    if (family === 0 || extra !== undefined || !(prefix >= 0 && prefix <= bits)) {
      invalid.push(entry);
      continue;
    }
    blocks.addSubnet(address, prefix, family === 4 ? "ipv4" : "ipv6");
    cidrs.push(`${address}/${prefix}`);
  }
  if (invalid.length > 0 || entries.length === 0) return { invalid: entries.length === 0 ? [list] : invalid };
  return {
    networks: {
      cidrs,
      includes(address) {
        if (!address || isIP(address) === 0) return false;
        return blocks.check(address, isIPv4(address) ? "ipv4" : "ipv6");
      },
    },
  };
}
