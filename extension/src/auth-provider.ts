import * as vscode from "vscode";
import type { Identity, IdentityState } from "./identity.js";
import { type SignInDeps, signInWithDeviceCode, signOut } from "./sign-in.js";

export const PROVIDER_ID = "claudemesh";

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
 * for other extensions. Knows sessions only; the sign-in flow and the store
 * live elsewhere (as in VS Code's github-authentication).
 */
export class ClaudemeshAuthenticationProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  readonly #changed = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.#changed.event;
  readonly #deps: SignInDeps;
  readonly #subscription: vscode.Disposable;
  #current: vscode.AuthenticationSession | undefined;

  constructor(deps: SignInDeps) {
    this.#deps = deps;
    this.#current = sessionOf(deps.identity.state);
    this.#subscription = deps.identity.onDidChange((state) => this.#update(state));
  }

  get #identity(): Identity {
    return this.#deps.identity;
  }

  async getSessions(): Promise<vscode.AuthenticationSession[]> {
    const session = sessionOf(await this.#identity.refresh());
    return session ? [session] : [];
  }

  async createSession(): Promise<vscode.AuthenticationSession> {
    await signInWithDeviceCode(this.#deps);
    const session = sessionOf(this.#identity.state);
    if (!session) throw new Error(vscode.l10n.t("Signing in to claudemesh did not finish."));
    return session;
  }

  async removeSession(): Promise<void> {
    await signOut(this.#identity);
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
