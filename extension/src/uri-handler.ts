import { ClaudemeshError } from "@claudemesh/sdk";
import * as vscode from "vscode";
import { type Log, silentLog } from "./output-log.js";

/**
 * The extension's URI handler: VS Code hands it every
 * `<scheme>://claudemesh.claudemesh/…` link the operating system or the web
 * workbench's callback page receives (a browser sign-in coming back), and it
 * passes each to whoever waits for one that is theirs (VS Code's
 * github-authentication has the same UriEventHandler).
 */
export class UriEventHandler implements vscode.UriHandler, vscode.Disposable {
  readonly #received = new vscode.EventEmitter<vscode.Uri>();
  readonly #log: Log;

  constructor(log: Log = silentLog) {
    this.#log = log;
  }

  handleUri(uri: vscode.Uri): void {
    // The query carries a sign-in code: the log gets the path only.
    this.#log.info(`received ${uri.scheme}://${uri.authority}${uri.path}`);
    this.#received.fire(uri);
  }

  /** The query of the first link that `isMine` accepts (others are left alone); rejects when `signal` aborts. */
  waitFor(isMine: (query: URLSearchParams) => boolean, signal: AbortSignal): Promise<URLSearchParams> {
    return new Promise((resolve, reject) => {
      const stop = () => {
        subscription.dispose();
        signal.removeEventListener("abort", onAbort);
      };
      const onAbort = () => {
        stop();
        reject(signal.reason instanceof Error ? signal.reason : new ClaudemeshError("cancelled", "Cancelled."));
      };
      const subscription = this.#received.event((uri) => {
        const query = new URLSearchParams(uri.query);
        if (!isMine(query)) {
          this.#log.warn("ignored a sign-in link that belongs to no sign-in waiting here");
          return;
        }
        stop();
        resolve(query);
      });
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  dispose(): void {
    this.#received.dispose();
  }
}
