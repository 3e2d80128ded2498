import type { SdkEnv } from "../env.js";

/** What ky hands fetch as `dispatcher`: an undici agent. */
export type Dispatcher = NonNullable<RequestInit["dispatcher"]>;

/**
 * An undici agent through HTTPS_PROXY / HTTP_PROXY that honours NO_PROXY, which
 * Node's fetch ignores; undefined when no proxy is configured. undici is loaded
 * only then, so a start without a proxy does not pay for it. Per request (ky
 * passes it on to fetch), not a global dispatcher: inside VS Code the extension
 * host's other traffic is not ours.
 */
export async function proxyDispatcher(env: SdkEnv): Promise<Dispatcher | undefined> {
  if (!env.httpsProxy && !env.httpProxy) return undefined;
  const { EnvHttpProxyAgent } = await import("undici");
  return new EnvHttpProxyAgent({
    httpsProxy: env.httpsProxy ?? env.httpProxy,
    httpProxy: env.httpProxy ?? env.httpsProxy,
    noProxy: env.noProxy,
  });
}
