import {
  type ApiClient,
  ClaudemeshError,
  type CredentialStore,
  type ResolvedCredential,
  resolveCredential,
  type User,
  type Whoami,
} from "@claudemesh/sdk";
import * as vscode from "vscode";

/** Where the token in use came from. */
export type IdentitySource = "env" | "keychain" | "file";

/** Who VS Code is signed in as, as the status bar, the trees and the Accounts menu show it. */
export type IdentityState =
  | { kind: "signed_out" }
  | {
      kind: "signed_in";
      token: string;
      user: User;
      source: IdentitySource;
      credential: Whoami["credential"];
    }
  /** A credential is stored but the server refused it (revoked, expired): sign in again. */
  | { kind: "rejected"; user: User | null; source: IdentitySource; message: string }
  /** The server could not be asked (offline, wrong URL). */
  | { kind: "unreachable"; user: User | null; source: IdentitySource; message: string };

export interface IdentityDeps {
  store: CredentialStore;
  /** CLAUDEMESH_TOKEN from VS Code's environment, if set: it wins, as in the CLI. */
  envToken: string | undefined;
  api: (token?: string) => Promise<ApiClient>;
}

/**
 * The one answer to "who am I" inside VS Code: the SDK's credential
 * resolution (CLAUDEMESH_TOKEN, then the store the CLI shares), checked with
 * the server. Watches auth.json so a `claudemesh login` or `logout` in a
 * terminal shows here within a second.
 */
export class Identity implements vscode.Disposable {
  readonly #deps: IdentityDeps;
  readonly #changed = new vscode.EventEmitter<IdentityState>();
  readonly onDidChange = this.#changed.event;
  #state: IdentityState = { kind: "signed_out" };
  #refreshing: Promise<IdentityState> | undefined;
  #recheck: Promise<IdentityState> | undefined;
  #stopWatching: (() => void) | undefined;
  #disposed = false;

  constructor(deps: IdentityDeps) {
    this.#deps = deps;
  }

  get state(): IdentityState {
    return this.#state;
  }

  get store(): CredentialStore {
    return this.#deps.store;
  }

  get envToken(): string | undefined {
    return this.#deps.envToken;
  }

  /** Starts following auth.json; the first refresh happens right away. */
  async watch(): Promise<void> {
    if (this.#stopWatching) return;
    const stop = await this.#deps.store.watch(() => void this.refresh());
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
  refresh(): Promise<IdentityState> {
    if (this.#refreshing) {
      this.#recheck ??= this.#refreshing.then(() => {
        this.#recheck = undefined;
        return this.refresh();
      });
      return this.#recheck;
    }
    this.#refreshing = this.#check().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  /** An API client with the current token; throws `auth_required` when signed out. */
  async api(): Promise<ApiClient> {
    const state = this.#state.kind === "signed_in" ? this.#state : await this.refresh();
    if (state.kind !== "signed_in") {
      throw new ClaudemeshError("auth_required", vscode.l10n.t("Sign in to claudemesh first."));
    }
    return this.#deps.api(state.token);
  }

  async #check(): Promise<IdentityState> {
    const next = await this.#read();
    const before = this.#state;
    this.#state = next;
    if (JSON.stringify(before) !== JSON.stringify(next)) this.#changed.fire(next);
    return next;
  }

  async #read(): Promise<IdentityState> {
    let credential: ResolvedCredential | null;
    try {
      credential = await resolveCredential({ envToken: this.#deps.envToken, store: this.#deps.store });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { kind: "rejected", user: null, source: "file", message };
    }
    if (!credential) return { kind: "signed_out" };
    const source: IdentitySource =
      credential.source === "env" ? "env" : credential.source === "keychain" ? "keychain" : "file";
    const knownUser = credential.stored?.file.user ?? null;
    try {
      const me = await (await this.#deps.api(credential.token)).whoami();
      return { kind: "signed_in", token: credential.token, user: me.user, source, credential: me.credential };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof ClaudemeshError && error.exitStatus === 2) {
        return { kind: "rejected", user: knownUser, source, message };
      }
      return { kind: "unreachable", user: knownUser, source, message };
    }
  }

  dispose(): void {
    this.#disposed = true;
    this.#stopWatching?.();
    this.#changed.dispose();
  }
}
