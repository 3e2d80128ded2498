import { Agent, type AgentOptions, type ClientRequestArgs, request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Duplex } from "node:stream";
import { connect as tlsConnect } from "node:tls";

// Its own module, imported only when a proxy applies: on Node 24 an ES import of node:http
// reads every export, and its WebSocket getter loads undici, which a CLI start must not pay for.

/**
 * An http.Agent whose every connection is a tunnel through an HTTP proxy (CONNECT),
 * TLS to the server inside it for `wss:`: what `ws` needs to reach the broker from
 * behind a proxy. Credentials in the proxy URL go as Basic Proxy-Authorization.
 */
export class ProxyTunnelAgent extends Agent {
  readonly #proxy: URL;
  readonly #secure: boolean;

  constructor(proxy: URL, secure: boolean, options: AgentOptions = {}) {
    super({ ...options, keepAlive: false });
    this.#proxy = proxy;
    this.#secure = secure;
    // https.request refuses an agent of another protocol; this one does its own TLS.
    (this as { protocol?: string }).protocol = secure ? "https:" : "http:";
  }

  override createConnection(
    options: ClientRequestArgs & { servername?: string },
    callback?: (error: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    // Node's agent takes the socket from the callback when this returns nothing.
    const done = (error: Error | null, stream?: Duplex) => callback?.(error, stream as Duplex);
    const host = (options.hostname ?? options.host ?? "localhost").replace(/^\[(.*)\]$/, "$1");
    const port = Number(options.port ?? (this.#secure ? 443 : 80));
    const authority = host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
    const proxy = this.#proxy;
    const credentials = proxy.username
      ? Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString("base64")
      : undefined;
    const connect = (proxy.protocol === "https:" ? httpsRequest : httpRequest)({
      host: proxy.hostname.replace(/^\[(.*)\]$/, "$1"),
      port: proxy.port || (proxy.protocol === "https:" ? 443 : 80),
      method: "CONNECT",
      path: authority,
      headers: { host: authority, ...(credentials ? { "proxy-authorization": `Basic ${credentials}` } : {}) },
      agent: false,
    });
    connect.once("connect", (response, socket, head) => {
      if (response.statusCode !== 200) {
        socket.destroy();
        done(
          Object.assign(new Error(`the proxy refused the tunnel (${response.statusCode})`), { code: "ECONNREFUSED" }),
        );
        return;
      }
      if (head.length > 0) socket.unshift(head);
      done(null, this.#secure ? tlsConnect({ socket, servername: options.servername ?? host }) : socket);
    });
    connect.once("error", (error) => done(error));
    connect.end();
    return undefined;
  }
}
