import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ApiClient } from "../api/client.js";
import type { DeviceCodeRequest } from "../contracts/index.js";
import { ClaudemeshError } from "../errors.js";
import { AuthorizationRequest } from "./authorization-request.js";
import type { LoginResult } from "./device-flow.js";
import { deviceInfo } from "./device-info.js";

export type LoopbackFlowEvent =
  /** The page to open; show it too, in case no browser opens. */
  | { type: "authorize_url"; url: string }
  | { type: "browser_failed"; error: unknown }
  | { type: "done"; result: LoginResult };

export interface LoopbackFlowDeps {
  api: Pick<ApiClient, "baseUrl" | "exchangeLoopbackCode">;
  /** Opens a URL in the person's browser (the CLI and VS Code each have their own way). */
  openBrowser: (url: string) => Promise<void>;
  device?: DeviceCodeRequest;
  /** How long to wait for the browser; default 5 minutes. */
  timeoutMs?: number;
}

export interface LoopbackFlowOptions {
  signal?: AbortSignal;
  onEvent?: (event: LoopbackFlowEvent) => void;
}

/**
 * Browser login for desktops (seed 000, RFC 8252 + PKCE): listen on
 * 127.0.0.1, open the server's authorize page, receive a short-lived code on
 * the callback, trade it on the back channel for a token, and only then tell
 * the browser how it went.
 *
 * @example
 * const result = await new LoopbackFlow({ api, openBrowser }).run({ signal });
 */
export class LoopbackFlow {
  readonly #deps: LoopbackFlowDeps;

  constructor(deps: LoopbackFlowDeps) {
    this.#deps = deps;
  }

  async run(options: LoopbackFlowOptions = {}): Promise<LoginResult> {
    const { signal, onEvent } = options;
    if (signal?.aborted) throw new ClaudemeshError("cancelled", "Cancelled.");

    let settle: { resolve(result: LoginResult): void; reject(error: unknown): void } | undefined;
    const outcome = new Promise<LoginResult>((resolve, reject) => {
      settle = { resolve, reject };
    });
    let request: AuthorizationRequest | undefined;
    let handled = false;

    // Not an ES import: on Node 24 that reads every export of node:http, whose WebSocket getter loads undici.
    const { createServer } = process.getBuiltinModule("node:http");
    const server = createServer((req, res) => {
      if (!request) {
        res.writeHead(503).end(); // still starting: nobody has the URL yet
        return;
      }
      void this.#onRequest(req, res, request, signal).then((result) => {
        if (!result || handled) return;
        handled = true;
        if (result instanceof Error) settle?.reject(result);
        else settle?.resolve(result);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    request = AuthorizationRequest.create({
      baseUrl: this.#deps.api.baseUrl,
      redirectUri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`,
      device: this.#deps.device ?? deviceInfo(),
    });

    const timer = setTimeout(
      () => settle?.reject(new ClaudemeshError("timeout", "Browser sign-in timed out.")),
      this.#deps.timeoutMs ?? 5 * 60 * 1000,
    );
    const onAbort = () => settle?.reject(new ClaudemeshError("cancelled", "Cancelled."));
    signal?.addEventListener("abort", onAbort, { once: true });
    if (signal?.aborted) onAbort(); // aborted while the server was starting

    try {
      onEvent?.({ type: "authorize_url", url: request.url });
      this.#deps.openBrowser(request.url).catch((error: unknown) => onEvent?.({ type: "browser_failed", error }));
      const result = await outcome;
      onEvent?.({ type: "done", result });
      return result;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      // The browser's answer is already sent; let it finish reading, accept nothing new.
      server.close();
      server.closeIdleConnections();
    }
  }

  /** Answers one request to the callback server; a login outcome when this request ended the flow. */
  async #onRequest(
    req: IncomingMessage,
    res: ServerResponse,
    request: AuthorizationRequest,
    signal?: AbortSignal,
  ): Promise<LoginResult | Error | undefined> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (req.method !== "GET" || url.pathname !== "/callback") {
      res.writeHead(404).end();
      return undefined;
    }
    const answer = request.read(url.searchParams);
    switch (answer.kind) {
      case "foreign":
        // Not the browser we sent; ignore it and keep waiting.
        page(res, 400, "Sign-in failed", "This sign-in link does not belong to the waiting terminal.");
        return undefined;
      case "denied":
        page(res, 200, "Sign-in denied", "You denied the sign-in. You can close this tab.");
        return new ClaudemeshError("access_denied", "Login denied in the browser.");
      case "missing_code":
        page(res, 400, "Sign-in failed", "The sign-in answer had no code; run `claudemesh login --web` again.");
        return new ClaudemeshError("bad_response", "The browser came back without a code.");
      case "code":
        try {
          const result = await request.exchange(this.#deps.api, answer.code, signal);
          page(res, 200, "Signed in", `Signed in as ${result.user.name}. Return to your terminal.`);
          return result;
        } catch (error) {
          page(res, 502, "Sign-in failed", `${(error as Error).message} Return to your terminal and try again.`);
          return error instanceof Error ? error : new Error(String(error));
        }
    }
  }
}

function page(res: ServerResponse, status: number, title: string, message: string): void {
  const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  res
    .writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" })
    .end(
      `<!doctype html><meta charset="utf-8"><title>${escapeHtml(title)} · claudemesh</title>` +
        `<body style="font:16px system-ui;display:grid;place-items:center;min-height:90vh">` +
        `<main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></main>`,
    );
}
