import type { IncomingMessage } from "node:http";
import type { WebSocket } from "ws";
import { errorFromFailure, errorFromResponse } from "../api/http-errors.js";
import { brokerPath } from "../contracts/broker.js";
import type { SdkEnv } from "../env.js";
import { ClaudemeshError } from "../errors.js";
import { proxyFor } from "./proxy-tunnel.js";

/** How long the upgrade may take before the attempt counts as a network failure. */
const HANDSHAKE_TIMEOUT_MS = 15_000;
/** An upgrade refusal's body is a small JSON error; anything longer is cut. */
const MAX_REFUSAL_BYTES = 16 * 1024;

export interface BrokerSocketOptions {
  /** The server's origin (`https://mesh.example.com`), as the ApiClient takes it. */
  apiUrl: string;
  token: string;
  /** Mesh id or slug. */
  mesh: string;
  userAgent: string;
  /** Where the proxy settings come from (HTTPS_PROXY, HTTP_PROXY, NO_PROXY). */
  env: SdkEnv;
  signal?: AbortSignal;
}

/** `https://host` + mesh → `wss://host/api/my/meshes/<mesh>/broker`. */
export function brokerUrl(apiUrl: string, mesh: string): string {
  const url = new URL(brokerPath(mesh), apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/`);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.toString();
}

/**
 * One WebSocket to the broker, open: the bearer token goes in the upgrade's
 * Authorization header (never the URL, which lands in access logs). A refused
 * upgrade becomes the server's own error (401 → exit status 2), anything
 * before an answer a network error. Through HTTPS_PROXY / HTTP_PROXY (a CONNECT
 * tunnel) unless NO_PROXY names the server, as the API's requests. `ws` is loaded here, on the first
 * connection, so a CLI start that never connects does not pay for it.
 */
export async function openBrokerSocket(options: BrokerSocketOptions): Promise<WebSocket> {
  const { WebSocket } = await import("ws");
  const origin = new URL(options.apiUrl).origin;
  if (options.signal?.aborted) throw new ClaudemeshError("cancelled", "Cancelled.");
  const url = brokerUrl(options.apiUrl, options.mesh);
  const proxy = proxyFor(new URL(url), options.env);
  const agent = proxy
    ? new (await import("./proxy-tunnel-agent.js")).ProxyTunnelAgent(proxy, url.startsWith("wss:"))
    : undefined;
  const socket = new WebSocket(url, {
    ...(agent ? { agent } : {}),
    headers: { authorization: `Bearer ${options.token}`, "user-agent": options.userAgent },
    handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
    // The broker's frames are small JSON; compression would only cost CPU on both ends.
    perMessageDeflate: false,
    // Same rule as the API: a redirect would carry the token elsewhere.
    followRedirects: false,
  });
  return new Promise<WebSocket>((resolve, reject) => {
    const finish = (error?: ClaudemeshError) => {
      socket.off("open", onOpen);
      socket.off("error", onError);
      socket.off("unexpected-response", onRefused);
      options.signal?.removeEventListener("abort", onAbort);
      if (error) {
        // Ending a socket still connecting emits one more error; it is the one already reported.
        socket.on("error", () => {});
        socket.terminate();
        reject(error);
      } else resolve(socket);
    };
    const onOpen = () => finish();
    const onError = (error: Error) => {
      const timedOut = /handshake has timed out/i.test(error.message);
      finish(
        timedOut
          ? ClaudemeshError.of("timeout", { kind: "no_answer_in_time", origin }, { cause: error })
          : errorFromFailure(error, origin),
      );
    };
    const onAbort = () => finish(new ClaudemeshError("cancelled", "Cancelled."));
    const onRefused = (_request: unknown, response: IncomingMessage) => {
      readRefusal(response).then(
        (body) =>
          finish(
            errorFromResponse({ status: response.statusCode ?? 0, statusText: response.statusMessage ?? "", body }),
          ),
        (error: unknown) => finish(errorFromFailure(error, origin)),
      );
    };
    socket.once("open", onOpen);
    socket.once("error", onError);
    socket.once("unexpected-response", onRefused);
    options.signal?.addEventListener("abort", onAbort, { once: true });
  });
}

async function readRefusal(response: IncomingMessage): Promise<string> {
  let body = "";
  for await (const chunk of response) {
    body += String(chunk);
    if (body.length > MAX_REFUSAL_BYTES) {
      response.destroy();
      break;
    }
  }
  return body.slice(0, MAX_REFUSAL_BYTES);
}
