import {
  type ApiClient,
  ClaudemeshError,
  DeviceFlow,
  isWellFormedToken,
  type LoginResult,
  parseToken,
} from "@claudemesh/sdk";
import * as vscode from "vscode";
import type { Identity } from "./identity.js";

/** The parts of VS Code a sign-in talks to; tests pass the fake. */
export interface SignInDeps {
  identity: Identity;
  /** An API client without a token (device codes), or with one (checking a pasted token). */
  api: (token?: string) => Promise<ApiClient>;
}

/**
 * Device-code sign-in (like VS Code's own GitHub sign-in): a notification
 * shows the code with "Copy Code & Open Browser", then a cancellable progress
 * waits for the browser's decision. Works in remote and web windows, since
 * the browser is opened by the window, not by this process.
 */
export async function signInWithDeviceCode({ identity, api }: SignInDeps): Promise<LoginResult> {
  const client = await api();
  const abort = new AbortController();
  const flow = new DeviceFlow({ api: client });
  const result = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t("Signing in to claudemesh…"),
      cancellable: true,
    },
    async (progress, cancellation) => {
      cancellation.onCancellationRequested(() => abort.abort());
      return flow.run({
        signal: abort.signal,
        onEvent: (event) => {
          if (event.type === "code") {
            progress.report({
              message: vscode.l10n.t("Waiting for approval of code {0} in the browser", event.code.user_code),
            });
            // Not awaited: the notification may stay up after the browser has approved.
            void offerCode(event.code.user_code, event.code.verification_url_complete);
          }
        },
      });
    },
  );
  await keep(identity, result, "device-code");
  return result;
}

/** The code, with one click to copy it and open the approval page. */
async function offerCode(userCode: string, url: string): Promise<void> {
  const copyAndOpen = vscode.l10n.t("Copy Code & Open Browser");
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t("Your claudemesh code is {0}. Approve it in the browser to sign in.", userCode),
    copyAndOpen,
  );
  if (choice === copyAndOpen) {
    await vscode.env.clipboard.writeText(userCode);
    await vscode.env.openExternal(vscode.Uri.parse(url));
  }
}

/** A pasted personal access token (or session token), checked with the server before it is kept. */
export async function signInWithToken(
  { identity, api }: SignInDeps,
  pasted?: string,
): Promise<LoginResult | undefined> {
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
  const token = parseToken(raw.trim()).token;
  const me = await (await api(token)).whoami();
  const result: LoginResult = { token, user: me.user, expiresAt: me.credential.expires_at };
  await keep(identity, result, "pat");
  return result;
}

async function keep(identity: Identity, login: LoginResult, source: "device-code" | "pat"): Promise<void> {
  await identity.store.save({ ...login, source });
  await identity.refresh("signed in here");
}

/**
 * Signs out like `claudemesh logout`: revokes a session token on the server
 * (best effort), then forgets the credential here and for the CLI.
 */
export async function signOut(identity: Identity): Promise<{ revoked: boolean }> {
  const state = await identity.settled();
  if (state.kind !== "signed_out" && state.kind !== "checking" && state.source === "env") {
    throw new ClaudemeshError(
      "forbidden",
      vscode.l10n.t("The token comes from CLAUDEMESH_TOKEN in VS Code's environment; unset it to sign out."),
    );
  }
  let revoked = false;
  if (state.kind === "signed_in" && state.credential.kind === "session") {
    try {
      await identity.call((api) => api.revokeSession("current"));
      revoked = true;
    } catch {
      // Still sign out here; the session can be revoked from the sidebar or the dashboard.
    }
  }
  await identity.store.clear();
  await identity.refresh("signed out here");
  return { revoked };
}
