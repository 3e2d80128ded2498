import { ClaudemeshError, type ErrorDetail, type HintKey, type KeychainOperation } from "@claudemesh/sdk";
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
  createTokenInBrowser: () =>
    vscode.l10n.t("Create personal access tokens in your browser, on the server's CLI tokens page."),
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

/** A keychain call, as the object of "refused" / "did not answer". */
const OPERATION: Record<KeychainOperation, () => string> = {
  read: () => vscode.l10n.t("a read"),
  write: () => vscode.l10n.t("a write"),
  delete: () => vscode.l10n.t("a delete"),
};

type DetailWords = { [K in ErrorDetail["kind"]]: (detail: Extract<ErrorDetail, { kind: K }>) => string };

/**
 * The SDK's error details in VS Code's language: the same data the CLI's
 * catalogues word, so the editor never shows the SDK's English in Spanish.
 */
const DETAILS: DetailWords = {
  unreachable: ({ origin, reason }) => vscode.l10n.t("Cannot reach {0} ({1}).", origin, reason),
  no_answer_in_time: ({ origin }) => vscode.l10n.t("{0} did not answer in time.", origin),
  tls_rejected: ({ origin, reason }) =>
    vscode.l10n.t("The TLS certificate of {0} was not accepted ({1}).", origin, reason),
  keychain_module_missing: () =>
    vscode.l10n.t("The OS keychain cannot be used here (its module is not installed in this extension)."),
  keychain_module_failed: ({ reason }) =>
    vscode.l10n.t("The OS keychain cannot be used here (its module did not load: {0}).", reason),
  keychain_refused: ({ operation, reason }) =>
    vscode.l10n.t("The OS keychain refused {0}: {1}", OPERATION[operation](), reason),
  no_secret_service: ({ operation }) =>
    vscode.l10n.t(
      "The OS keychain refused {0}: no Secret Service is running (the keyring daemon is not started).",
      OPERATION[operation](),
    ),
  no_session_bus: ({ operation }) =>
    vscode.l10n.t(
      "The OS keychain refused {0}: there is no D-Bus session to reach it through (as over SSH or in a container).",
      OPERATION[operation](),
    ),
  keychain_timed_out: ({ operation, ms }) =>
    vscode.l10n.t("The OS keychain did not answer {0} within {1} ms.", OPERATION[operation](), ms),
  keychain_turned_off: () => vscode.l10n.t("CLAUDEMESH_TOKEN_STORE=file: the OS keychain is not used."),
  keychain_entry_unpaired: ({ server }) =>
    vscode.l10n.t(
      "The OS keychain entry of the login for {0} was saved by an older claudemesh and cannot be told from another account's; it is not used.",
      server,
    ),
  keychain_entry_missing: ({ server }) =>
    vscode.l10n.t(
      "The token of the login for {0} is kept in the OS keychain, which did not return it (locked, or its entry was removed).",
      server,
    ),
  keychain_entry_foreign: ({ server }) =>
    vscode.l10n.t(
      "The OS keychain entry of the login for {0} holds another token than the one that login was saved with (replaced by another sign-in, or planted); it is not used.",
      server,
    ),
  auth_file_without_token: ({ path }) => vscode.l10n.t("The credentials file is corrupted ({0} has no token).", path),
  file_not_json: ({ path }) => vscode.l10n.t("{0} is not valid JSON; fix it or move it aside.", path),
  file_invalid: ({ path, field }) =>
    vscode.l10n.t("{0}: the value of {1} is not valid; fix it or move it aside.", path, field),
  file_is_link: ({ path }) =>
    vscode.l10n.t(
      "{0} is a symbolic link; claudemesh does not follow links for its private files. Remove it and try again.",
      path,
    ),
  file_not_regular: ({ path }) =>
    vscode.l10n.t(
      "{0} is not a regular file; claudemesh keeps its private files only in regular files. Remove it and try again.",
      path,
    ),
  file_of_other_user: ({ path, uid }) =>
    vscode.l10n.t(
      "{0} belongs to another user (uid {1}); claudemesh only reads private files you own. Remove it and try again.",
      path,
      uid,
    ),
  file_unreadable: ({ path, reason }) => vscode.l10n.t("Cannot read {0}: {1}", path, reason),
  folder_not_private: ({ path, mode }) =>
    vscode.l10n.t("{0} must be private (0700) but is {1}; fix its owner or mode.", path, mode.toString(8)),
  file_write_refused: ({ path, field }) =>
    vscode.l10n.t("Refusing to write {0}: the value of {1} is not valid.", path, field),
  file_locked: ({ path, lockPath }) =>
    vscode.l10n.t(
      "Another claudemesh process is changing {0} and did not finish in time; try again in a moment. If no claudemesh is running, remove {1}.",
      path,
      lockPath,
    ),
};

/**
 * What went wrong, for people, in VS Code's language: an SDK error by its
 * detail; a server's error, or anything else, by its own message.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof ClaudemeshError && error.detail) {
    const words = DETAILS[error.detail.kind] as (detail: ErrorDetail) => string;
    return words(error.detail);
  }
  return error instanceof Error ? error.message : String(error);
}
