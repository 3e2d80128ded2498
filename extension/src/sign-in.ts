import { hostname } from "node:os";
import {
  type ApiClient,
  ClaudemeshError,
  type CredentialSource,
  deviceInfo,
  isWellFormedToken,
  keepLogin,
  type LoginResult,
  signInWithToken as sdkSignInWithToken,
  signOut as sdkSignOut,
} from "@claudemesh/sdk";
import * as vscode from "vscode";
import { errorMessage } from "./error-hints.js";
import { DeviceCodeFlow, editorCallbackUri, RedirectFlow, type SignInFlow } from "./flows.js";
import type { Identity } from "./identity.js";
import { describeError, type Log, silentLog } from "./output-log.js";
import type { UriEventHandler } from "./uri-handler.js";

/** The parts of VS Code a sign-in talks to; tests pass the fake. */
export interface SignInDeps {
  identity: Identity;
  /** An API client without a token (device codes), or with one (checking a pasted token). */
  api: (token?: string) => Promise<ApiClient>;
  /** Receives the browser's answer for the redirect flow. */
  uriHandler: UriEventHandler;
  log?: Log;
}

/**
 * "Sign In" from the palette, the sidebar and the Accounts menu: the browser
 * redirect back to the editor where it can come back (desktop, remote windows,
 * a code-server on this machine), else the device code; when the redirect does
 * not finish, the device code is offered (as VS Code's GitHub sign-in offers
 * "a different way"). The token is kept in the store the CLI shares.
 */
export async function signIn(deps: SignInDeps): Promise<LoginResult> {
  const log = deps.log ?? silentLog;
  const flows = await flowsHere(deps, log);
  for (const [index, flow] of flows.entries()) {
    try {
      const result = await flow.run();
      log.info(`signed in with the ${flow.label}`);
      await keep(deps, result, flow.source);
      return result;
    } catch (error) {
      const next = flows[index + 1];
      log.warn(`the ${flow.label} sign-in did not finish: ${describeError(error)}`);
      // A denial is the person's answer, not a failure to work around.
      if (!next || (error instanceof ClaudemeshError && error.code === "access_denied")) throw error;
      if (!(await tryAnotherWay(error))) throw error;
    }
  }
  throw new ClaudemeshError("cancelled", "Cancelled.");
}

/** The flows that can work in this window, best first. */
async function flowsHere(deps: SignInDeps, log: Log): Promise<SignInFlow[]> {
  const base = { api: await deps.api(), device: editorDevice(), log };
  const device = new DeviceCodeFlow(base);
  const redirectUri = await editorCallbackUri(log);
  return redirectUri ? [new RedirectFlow({ ...base, uriHandler: deps.uriHandler, redirectUri }), device] : [device];
}

/** How this editor introduces itself on the approval page and in the sessions list. */
function editorDevice() {
  return deviceInfo(`${vscode.env.appName} · ${hostname()}`);
}

/** Asks whether to sign in with a code after the browser redirect did not finish. */
async function tryAnotherWay(error: unknown): Promise<boolean> {
  const useCode = vscode.l10n.t("Use a Code");
  const cancelled = error instanceof ClaudemeshError && error.code === "cancelled";
  const message = cancelled
    ? vscode.l10n.t("Having trouble signing in through the browser? Sign in with a code instead.")
    : vscode.l10n.t("Signing in through the browser failed: {0} Sign in with a code instead?", errorMessage(error));
  const choice = cancelled
    ? await vscode.window.showInformationMessage(message, useCode)
    : await vscode.window.showWarningMessage(message, useCode);
  return choice === useCode;
}

/** What signing in with a token and signing out need: the identity, a client, the log. */
export type AccountDeps = Pick<SignInDeps, "identity" | "api" | "log">;

/** A pasted personal access token (or session token), checked with the server before it is kept. */
export async function signInWithToken(deps: AccountDeps, pasted?: string): Promise<LoginResult | undefined> {
  const raw =
    pasted ??
    (await vscode.window.showInputBox({
      title: vscode.l10n.t("Sign in to claudemesh with an access token"),
      prompt: vscode.l10n.t("Create one on the CLI tokens page of your claudemesh server."),
      placeHolder: "cm_pat_…",
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) =>
        isWellFormedToken(value.trim())
          ? undefined
          : vscode.l10n.t("That is not a claudemesh token (cm_pat_… or cm_session_…)."),
    }));
  if (raw === undefined) return undefined;
  const { login, source } = await sdkSignInWithToken({ api: deps.api, token: raw });
  await keep(deps, login, source);
  return login;
}

/** Keeps the login in the store the CLI shares; the session it replaced is revoked, as `claudemesh login` does. */
async function keep(deps: AccountDeps, login: LoginResult, source: CredentialSource): Promise<void> {
  const { replaced } = await keepLogin({ store: deps.identity.store, api: deps.api, login, source });
  if (replaced.outcome === "failed") {
    (deps.log ?? silentLog).warn(`the replaced session could not be revoked: ${describeError(replaced.error)}`);
  }
  await deps.identity.refresh("signed in here");
}

/**
 * Signs out like `claudemesh logout`: revokes a session token on the server
 * (best effort), then forgets the credential here and for the CLI.
 */
export async function signOut({ identity, api, log }: AccountDeps): Promise<{ revoked: boolean }> {
  const state = await identity.settled();
  if ("source" in state && state.source === "env") {
    throw new ClaudemeshError(
      "forbidden",
      vscode.l10n.t("The token comes from CLAUDEMESH_TOKEN in VS Code's environment; unset it to sign out."),
    );
  }
  const { revocation } = await sdkSignOut({ store: identity.store, api });
  if (revocation.outcome === "failed") {
    // Signed out here all the same; the session can be revoked from the sidebar or the dashboard.
    (log ?? silentLog).warn(`the session could not be revoked: ${describeError(revocation.error)}`);
  }
  await identity.refresh("signed out here");
  return { revoked: revocation.outcome === "revoked" };
}
