import * as vscode from "vscode";
import type { Identity, IdentityState } from "./identity.js";

export const PROVIDER_ID = "claudemesh";

export interface AuthProviderDeps {
  identity: Identity;
  /** Runs a sign-in flow to its end (the token is kept in the shared store). */
  signIn: () => Promise<unknown>;
  signOut: () => Promise<unknown>;
}

function sessionOf(state: IdentityState): vscode.AuthenticationSession | undefined {
  if (state.kind !== "signed_in") return undefined;
  return {
    id: state.credential.id ?? `${state.source}:${state.user.id}`,
    accessToken: state.token,
    account: { id: state.user.id, label: state.user.name },
    scopes: [],
  };
}

/**
 * "Sign in with claudemesh" in the Accounts menu, and
 * `vscode.authentication.getSession('claudemesh', [], { createIfNone: true })`
 * for other extensions. Knows sessions only, and serves them from memory (the
 * Identity); how a token is obtained (flows.ts) and where it is kept (the SDK's
 * store) live elsewhere, as in VS Code's github-authentication.
 */
export class ClaudemeshAuthenticationProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  readonly #changed = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.#changed.event;
  readonly #deps: AuthProviderDeps;
  readonly #subscription: vscode.Disposable;
  #current: vscode.AuthenticationSession | undefined;

  constructor(deps: AuthProviderDeps) {
    this.#deps = deps;
    this.#current = sessionOf(deps.identity.state);
    this.#subscription = deps.identity.onDidChange((state) => this.#update(state));
  }

  /** From memory; only before the first check has answered does it wait (for that check, not a new one). */
  async getSessions(): Promise<vscode.AuthenticationSession[]> {
    const session = sessionOf(await this.#deps.identity.settled());
    return session ? [session] : [];
  }

  async createSession(): Promise<vscode.AuthenticationSession> {
    await this.#deps.signIn();
    const session = sessionOf(this.#deps.identity.state);
    if (!session) throw new Error(vscode.l10n.t("Signing in to claudemesh did not finish."));
    return session;
  }

  async removeSession(): Promise<void> {
    await this.#deps.signOut();
  }

  #update(state: IdentityState): void {
    const before = this.#current;
    const after = sessionOf(state);
    this.#current = after;
    if (before?.id === after?.id && before?.accessToken === after?.accessToken) return;
    this.#changed.fire({
      added: after && before?.id !== after.id ? [after] : [],
      removed: before && (!after || before.id !== after.id) ? [before] : [],
      changed: after && before && before.id === after.id ? [after] : [],
    });
  }

  dispose(): void {
    this.#subscription.dispose();
    this.#changed.dispose();
  }
}
