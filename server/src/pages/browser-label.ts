import { neutralText } from "@claudemesh/sdk/contracts";

// First match wins: Edge and Opera also say "Chrome", Chrome also says "Safari".
const BROWSERS: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\//, "Edge"],
  [/\bOPR\//, "Opera"],
  [/\bFirefox\//, "Firefox"],
  [/(?:Chrome|Chromium|CriOS)\//, "Chrome"],
  [/\bSafari\//, "Safari"],
  [/\bcurl\//, "curl"],
];
const SYSTEMS: [RegExp, string][] = [
  [/Android/, "Android"],
  [/iPhone|iPad|iPod/, "iOS"],
  [/Windows/, "Windows"],
  [/CrOS/, "ChromeOS"],
  [/Macintosh|Mac OS X/, "macOS"],
  [/Linux/, "Linux"],
];

/**
 * "Chrome on Linux" from a User-Agent header, for the sessions list; null when
 * it names no browser we know. The header is the client's to choose, so nothing
 * of it is shown but these fixed names.
 */
export function browserLabel(userAgent: string | null): string | null {
  if (!userAgent) return null;
  const ua = neutralText(userAgent);
  const browser = BROWSERS.find(([pattern]) => pattern.test(ua))?.[1];
  if (!browser) return null;
  const system = SYSTEMS.find(([pattern]) => pattern.test(ua))?.[1];
  return system ? `${browser} · ${system}` : browser;
}

/** `::1` rather than `0000:…:0001`: Better Auth stores IPv6 addresses written out in full. */
export function compactAddress(address: string): string {
  if (!address.includes(":")) return address;
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return address;
  }
}
