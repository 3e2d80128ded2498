import { homedir } from "node:os";
import * as vscode from "vscode";
import type { Identity, IdentitySource, IdentityState } from "./identity.js";

/** Where the credential lives, in words: the variable, the keychain, or the file (home as `~`). */
function where(source: IdentitySource, authFile: string): string {
  switch (source) {
    case "env":
      return vscode.l10n.t("CLAUDEMESH_TOKEN");
    case "keychain":
      return vscode.l10n.t("the OS keychain (shared with the CLI)");
    case "file": {
      const home = homedir();
      const shown = authFile.startsWith(`${home}/`) ? `~${authFile.slice(home.length)}` : authFile;
      return vscode.l10n.t("{0} (shared with the CLI)", shown);
    }
  }
}

/** How a state reads in the status bar. */
export interface StatusBarLook {
  text: string;
  tooltip: string;
  command: string | undefined;
  warning: boolean;
}

/** How a state reads in the status bar: text, tooltip, click, and whether it warns. */
export function statusBarLook(state: IdentityState, apiUrl: string, authFile: string): StatusBarLook {
  switch (state.kind) {
    case "checking":
      return {
        text: "$(sync~spin) claudemesh",
        tooltip: vscode.l10n.t("Checking who is signed in to {0}…", apiUrl),
        command: undefined,
        warning: false,
      };
    case "signed_in": {
      const expires = state.credential.expires_at
        ? new Date(state.credential.expires_at).toLocaleDateString()
        : vscode.l10n.t("never");
      const tooltip = [
        `${state.user.name} <${state.user.email}>`,
        vscode.l10n.t("Server: {0}", apiUrl),
        vscode.l10n.t(
          "Token: {0} from {1}, expires {2}",
          state.credential.kind,
          where(state.source, authFile),
          expires,
        ),
      ].join("\n");
      return { text: `$(account) ${state.user.name}`, tooltip, command: "claudemesh.statusBarMenu", warning: false };
    }
    case "unreadable":
      return {
        text: `$(warning) ${vscode.l10n.t("claudemesh: Signed out")}`,
        tooltip: [vscode.l10n.t("Server: {0}", apiUrl), state.message, state.hint]
          .filter((line) => line !== undefined)
          .join("\n"),
        command: "claudemesh.signIn",
        warning: true,
      };
    case "rejected":
      return {
        text: `$(warning) ${vscode.l10n.t("claudemesh: Sign in again")}`,
        tooltip: [
          state.user ? `${state.user.name} <${state.user.email}>` : undefined,
          vscode.l10n.t("Server: {0}", apiUrl),
          vscode.l10n.t("The server refused the token from {0}: {1}", where(state.source, authFile), state.message),
        ]
          .filter((line) => line !== undefined)
          .join("\n"),
        command: "claudemesh.signIn",
        warning: true,
      };
    case "unreachable":
      return {
        text: `$(cloud-offline) ${state.user?.name ?? "claudemesh"}`,
        tooltip: state.message,
        command: "claudemesh.statusBarMenu",
        warning: true,
      };
    case "signed_out":
      return {
        text: `$(sign-in) ${vscode.l10n.t("claudemesh: Sign In")}`,
        tooltip: vscode.l10n.t("Sign in to claudemesh"),
        command: "claudemesh.signIn",
        warning: false,
      };
  }
}

/** The status-bar whoami, there from start-up: who is signed in, or a way to sign in. */
export function createStatusBar(identity: Identity, apiUrl: () => string): vscode.Disposable {
  const item = vscode.window.createStatusBarItem("claudemesh.status", vscode.StatusBarAlignment.Left, 100);
  item.name = "claudemesh";
  const show = (state: IdentityState) => {
    const look = statusBarLook(state, apiUrl(), identity.store.file.path);
    item.text = look.text;
    item.tooltip = look.tooltip;
    item.command = look.command;
    item.backgroundColor = look.warning ? new vscode.ThemeColor("statusBarItem.warningBackground") : undefined;
    item.show();
  };
  show(identity.state);
  const subscription = identity.onDidChange(show);
  return vscode.Disposable.from(item, subscription);
}
