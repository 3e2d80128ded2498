import { ClaudemeshError, type HintKey } from "@claudemesh/sdk";
import * as vscode from "vscode";

const SIGN_IN_AGAIN = () => vscode.l10n.t("Run 'claudemesh: Sign In' from the Command Palette to sign in again.");
const TRY_SIGN_IN_AGAIN = () => vscode.l10n.t("Run 'claudemesh: Sign In' from the Command Palette to try again.");

/**
 * Each step the SDK can suggest, in VS Code's words (its commands, its
 * settings) rather than the CLI's; called when shown, so it follows the
 * editor's language.
 */
const HINTS: Record<HintKey, () => string> = {
  signIn: () => vscode.l10n.t("Run 'claudemesh: Sign In' from the Command Palette."),
  reauthenticate: SIGN_IN_AGAIN,
  replaceAuthFile: () => vscode.l10n.t("Run 'claudemesh: Sign In' from the Command Palette to replace it."),
  signInAgain: SIGN_IN_AGAIN,
  retryLogin: TRY_SIGN_IN_AGAIN,
  tryLoginAgain: TRY_SIGN_IN_AGAIN,
  loginAlreadyClaimed: () =>
    vscode.l10n.t("Another process already received this sign-in's token. Run 'claudemesh: Sign In' again."),
  signInAnotherWay: () =>
    vscode.l10n.t(
      "This server accepts no device sign-in: run 'claudemesh: Sign In with Access Token' with a token from the server's CLI tokens page.",
    ),
  checkTokenCopied: () => vscode.l10n.t("Tokens look like cm_pat_… or cm_session_…; check it was copied whole."),
  waitAndRetry: () => vscode.l10n.t("Wait a while, then try again."),
  leaveOutScopes: () =>
    vscode.l10n.t("Create the token without scopes: every token has its account's full access until scopes exist."),
  chooseAnotherSlug: () => vscode.l10n.t("Choose another slug for the mesh."),
  askForNewInvite: () => vscode.l10n.t("Ask whoever invited you for a new invite."),
  inviteWorksOnce: () => vscode.l10n.t("Invites work once; ask for a new one."),
  confirmEmailFirst: () => vscode.l10n.t("Once the address is confirmed, open the invite again."),
  installClaude: () =>
    vscode.l10n.t("Install Claude Code (npm install -g @anthropic-ai/claude-code) or set CLAUDEMESH_CLAUDE_BIN."),
  checkConnection: () => vscode.l10n.t("Check your connection and the claudemesh.apiUrl setting, then try again."),
  retryTimeout: () => vscode.l10n.t("The server took too long to answer; try again."),
  trustProxyCa: () =>
    vscode.l10n.t(
      "Behind a TLS-inspecting proxy? Start VS Code with NODE_EXTRA_CA_CERTS pointing at its CA certificate.",
    ),
  checkServerUrl: () =>
    vscode.l10n.t(
      "The server answered in an unexpected shape; does the claudemesh.apiUrl setting name a claudemesh server?",
    ),
  checkServerLog: () => vscode.l10n.t("Try again; if it keeps failing, check the server's log."),
  waitForDatabase: () => vscode.l10n.t("The server cannot reach its database right now; try again in a minute."),
  unlockKeychain: () =>
    vscode.l10n.t(
      "Unlock the OS keychain and try again, or run 'claudemesh: Sign In' to sign in again (if the keychain still refuses, the token is kept in auth.json).",
    ),
};

/** What to do about an error, in VS Code's words and language; undefined when its message says it all. */
export function errorHint(error: unknown): string | undefined {
  if (!(error instanceof ClaudemeshError) || error.hintKey === undefined) return undefined;
  return HINTS[error.hintKey]();
}
