import type { SdkEnv } from "../env.js";

/**
 * The proxy a WebSocket to `target` (`ws:` or `wss:`) goes through, as the API's
 * requests do (`proxy.ts`): HTTPS_PROXY, else HTTP_PROXY, unless NO_PROXY names the
 * host; undefined for a direct connection.
 */
export function proxyFor(target: URL, env: SdkEnv): URL | undefined {
  const secure = target.protocol === "wss:" || target.protocol === "https:";
  const proxy = secure ? (env.httpsProxy ?? env.httpProxy) : (env.httpProxy ?? env.httpsProxy);
  if (!proxy || bypassesProxy(target, env.noProxy)) return undefined;
  try {
    return new URL(proxy.includes("://") ? proxy : `http://${proxy}`);
  } catch {
    return undefined;
  }
}

/**
 * Whether NO_PROXY names `target`'s host, the way curl and undici read it: `*` for
 * every host; otherwise entries separated by commas or spaces, each a host name
 * (its subdomains too, with or without a leading `.` or `*.`) or an address,
 * optionally with `:port`.
 */
export function bypassesProxy(target: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = target.hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  const secure = target.protocol === "wss:" || target.protocol === "https:";
  const port = target.port || (secure ? "443" : "80");
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry === "") continue;
    if (entry === "*") return true;
    const withPort = /^\[?([^\]]*?)\]?:(\d+)$/.exec(entry);
    const name = (withPort?.[1] ?? entry).replace(/^\[(.*)\]$/, "$1").replace(/^\*?\./, "");
    if (withPort && withPort[2] !== port) continue;
    if (host === name || host.endsWith(`.${name}`)) return true;
  }
  return false;
}
