import {
  type ApiClient,
  ClaudemeshError,
  type CredentialStore,
  checkIdentity,
  isAuthError,
  type User,
  type Whoami,
} from "@claudemesh/sdk";
import * as vscode from "vscode";
import { errorHint, errorMessage } from "./error-hints.js";
import { describeError, type Log, silentLog } from "./output-log.js";

/** Where the token in use came from. */
export type IdentitySource = "env" | "keychain" | "file";

/** Who VS Code is signed in as, as the status bar, the trees and the Accounts menu show it. */
export type IdentityState =
  /** Before the first answer: nobody may conclude "signed out" yet. */
  | { kind: "checking" }
  | { kind: "signed_out" }
  | {
      kind: "signed_in";
      token: string;
      user: User;
      source: IdentitySource;
      credential: Whoami["credential"];
    }
  /**
   * The shared store cannot give a credential (the keychain locked or gone, its
   * secret not the login's, auth.json unreadable): nobody is shown as signed in.
   */
  | { kind: "unreadable"; message: string; hint: string | undefined }
  /** A credential is stored but the server refused it (revoked, expired): sign in again. */
  | { kind: "rejected"; user: User | null; source: IdentitySource; message: string }
  /** The server could not be asked (offline, wrong URL). */
  | { kind: "unreachable"; user: User | null; source: IdentitySource; message: string };

export interface IdentityDeps {
  store: CredentialStore;
  /** CLAUDEMESH_TOKEN from VS Code's environment, if set: it wins, as in the CLI. */
  envToken: string | undefined;
  api: (token?: string) => Promise<ApiClient>;
  log?: Log;
  /** Milliseconds since the epoch. */
  now?: () => number;
}

/**
 * The one answer to "who am I" inside VS Code, kept in memory: the SDK's
 * credential resolution (CLAUDEMESH_TOKEN, then the store the CLI shares),
 * checked with the server. Asked again only when something may have changed
 * (start-up, the shared credential, a 401, focus after a while, a timer; see
 * identity-checks.ts), never because someone read it. Watches auth.json so a
 * `claudemesh login` or `logout` in a terminal shows here within a second.
 */
export class Identity implements vscode.Disposable {
  readonly #deps: IdentityDeps;
  readonly #log: Log;
  readonly #now: () => number;
  readonly #changed = new vscode.EventEmitter<IdentityState>();
  #store: CredentialStore;
  readonly onDidChange = this.#changed.event;
  #state: IdentityState = { kind: "checking" };
  #checkedAt: number | undefined;
  #first: Promise<IdentityState> | undefined;
  #refreshing: Promise<IdentityState> | undefined;
  #recheck: Promise<IdentityState> | undefined;
  #stopWatching: (() => void) | undefined;
  #disposed = false;

  constructor(deps: IdentityDeps) {
    this.#deps = deps;
    this.#store = deps.store;
    this.#log = deps.log ?? silentLog;
    this.#now = deps.now ?? Date.now;
  }

  get state(): IdentityState {
    return this.#state;
  }

  /** When the server was last asked (milliseconds since the epoch); undefined before the first answer. */
  get checkedAt(): number | undefined {
    return this.#checkedAt;
  }

  get store(): CredentialStore {
    return this.#store;
  }

  /**
   * Follows another server (`claudemesh.apiUrl` changed): later reads and writes
   * go to its store. Call refresh() after. The auth.json watcher stays: every
   * server's store watches the same file.
   */
  useStore(store: CredentialStore): void {
    this.#store = store;
  }

  get envToken(): string | undefined {
    return this.#deps.envToken;
  }

  /**
   * The state once the first check has answered. Sessions are served from
   * memory, but "signed out" before anyone asked would be a lie: this waits for
   * the first check (starting it if nobody has), then answers at once.
   */
  settled(): Promise<IdentityState> {
    if (this.#state.kind !== "checking") return Promise.resolve(this.#state);
    this.#first ??= this.refresh("start-up");
    return this.#first;
  }

  /** Starts following auth.json, so another client's sign-in or sign-out is seen. */
  async watch(): Promise<void> {
    if (this.#stopWatching) return;
    const stop = await this.#store.watch(() => void this.refresh("the shared credential changed"));
    // Disposed while the watcher was starting: stop it at once.
    if (this.#disposed) stop();
    else this.#stopWatching = stop;
  }

  /**
   * Re-reads the credential and asks the server who it belongs to. A call made
   * while a check is in flight gets a fresh check after it (shared by every such
   * call): the one in flight may have read a credential that has just changed,
   * say a token revoked and removed by Sign Out, whose 401 would otherwise stand.
   */
  refresh(reason = "asked"): Promise<IdentityState> {
    if (this.#refreshing) {
      this.#recheck ??= this.#refreshing.then(() => {
        this.#recheck = undefined;
        return this.refresh(reason);
      });
      return this.#recheck;
    }
    this.#log.info(`checking the identity (${reason})`);
    this.#refreshing = this.#check().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  /**
   * Runs requests with the current token; throws `auth_required` when signed
   * out. A 401 makes the identity check again: the token may have been revoked
   * or expired since the last check, and the status bar should say so.
   */
  async call<T>(request: (api: ApiClient) => Promise<T>): Promise<T> {
    const state = await this.settled();
    if (state.kind !== "signed_in") {
      throw new ClaudemeshError("auth_required", vscode.l10n.t("Sign in to claudemesh first."));
    }
    try {
      return await request(await this.#deps.api(state.token));
    } catch (error) {
      if (isAuthError(error)) void this.refresh(`the server refused the token: ${describeError(error)}`);
      throw error;
    }
  }

  async #check(): Promise<IdentityState> {
    const { state: next, token } = await this.#read();
    this.#checkedAt = this.#now();
    const before = this.#state;
    // A network blip must not sign anyone out: the token the server last accepted stays in use.
    if (next.kind === "unreachable" && before.kind === "signed_in" && before.token === token) {
      this.#log.warn(`the server did not answer (${next.message}); still signed in as ${before.user.name}`);
      return before;
    }
    this.#state = next;
    this.#log.info(describeState(next));
    if (JSON.stringify(before) !== JSON.stringify(next)) this.#changed.fire(next);
    return next;
  }

  async #read(): Promise<{ state: IdentityState; token?: string }> {
    const check = await checkIdentity({ envToken: this.#deps.envToken, store: this.#store, api: this.#deps.api });
    if (check.kind === "signed_out") return { state: { kind: "signed_out" } };
    if (check.kind === "unreadable") {
      return { state: { kind: "unreadable", message: errorMessage(check.error), hint: errorHint(check.error) } };
    }
    const { token, stored } = check.credential;
    const source: IdentitySource =
      check.credential.source === "env" ? "env" : check.credential.source === "keychain" ? "keychain" : "file";
    if (check.kind === "signed_in") {
      const { user, credential } = check.me;
      return { state: { kind: "signed_in", token, user, source, credential }, token };
    }
    const message = errorMessage(check.error);
    return { state: { kind: check.kind, user: stored?.record.user ?? null, source, message }, token };
  }

  dispose(): void {
    this.#disposed = true;
    this.#stopWatching?.();
    this.#changed.dispose();
  }
}

/** One line for the output channel: who, never the token. */
function describeState(state: IdentityState): string {
  switch (state.kind) {
    case "checking":
      return "checking";
    case "signed_out":
      return "signed out (no CLAUDEMESH_TOKEN, nothing in the shared store)";
    case "signed_in":
      return `signed in as ${state.user.name} <${state.user.email}> (${state.credential.kind} from ${state.source})`;
    case "unreadable":
      return `the shared credential cannot be read: ${state.message}`;
    case "rejected":
      return `the server refused the ${state.source} credential: ${state.message}`;
    case "unreachable":
      return `the server could not be asked: ${state.message}`;
  }
}
