import type { SdkEnv } from "../env.js";

/**
 * A fetch that honours HTTPS_PROXY / HTTP_PROXY / NO_PROXY, which Node's own
 * fetch ignores; undefined when no proxy is configured. undici is loaded only
 * then, so a start without a proxy does not pay for it. Per request, not a
 * global dispatcher: inside VS Code the extension host's other traffic is not ours.
 */
export async function proxyFetch(env: SdkEnv): Promise<typeof fetch | undefined> {
  if (!env.httpsProxy && !env.httpProxy) return undefined;
  const { EnvHttpProxyAgent, fetch: undiciFetch } = await import("undici");
  const dispatcher = new EnvHttpProxyAgent({
    httpsProxy: env.httpsProxy ?? env.httpProxy,
    httpProxy: env.httpProxy ?? env.httpsProxy,
    noProxy: env.noProxy,
  });
  const viaProxy = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    // ky passes a global Request; npm undici only knows its own, so pass its parts.
    const request = input instanceof Request ? input : new Request(input, init);
    const body = request.body ? await request.arrayBuffer() : undefined;
    const response = await undiciFetch(request.url, {
      method: request.method,
      headers: [...request.headers],
      body,
      signal: request.signal,
      redirect: request.redirect,
      dispatcher,
    });
    return response as unknown as Response;
  };
  return viaProxy as typeof fetch;
}
