import type { SdkEnv } from "../env.js";
import type { Transport } from "./transport.js";

/**
 * A transport through HTTPS_PROXY / HTTP_PROXY that honours NO_PROXY, which
 * node:http ignores; undefined when no proxy is configured. undici is loaded
 * only then, so a start without a proxy does not pay for it. Per request, not
 * a global dispatcher: inside VS Code the extension host's other traffic is not ours.
 */
export async function proxyTransport(env: SdkEnv): Promise<Transport | undefined> {
  if (!env.httpsProxy && !env.httpProxy) return undefined;
  const { EnvHttpProxyAgent, fetch: undiciFetch } = await import("undici");
  const dispatcher = new EnvHttpProxyAgent({
    httpsProxy: env.httpsProxy ?? env.httpProxy,
    httpProxy: env.httpProxy ?? env.httpsProxy,
    noProxy: env.noProxy,
  });
  return async ({ method, url, headers, body, signal }) => {
    const response = await undiciFetch(url, { method, headers, body, signal, redirect: "manual", dispatcher });
    return {
      status: response.status,
      statusText: response.statusText,
      headers: Object.fromEntries(response.headers),
      body: await response.text(),
    };
  };
}
