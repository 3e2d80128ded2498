import * as vscode from "vscode";
import type { Identity, IdentityState } from "./identity.js";

const SOURCES = {
  env: () => vscode.l10n.t("CLAUDEMESH_TOKEN"),
  keychain: () => vscode.l10n.t("the OS keychain (shared with the CLI)"),
  file: () => vscode.l10n.t("~/.claudemesh/auth.json (shared with the CLI)"),
} as const;

/** How a state reads in the status bar: text, tooltip, click, and whether it warns. */
export function statusBarLook(state: IdentityState, apiUrl: string) {
  switch (state.kind) {
    case "signed_in": {
      const expires = state.credential.expires_at
        ? new Date(state.credential.expires_at).toLocaleDateString()
        : vscode.l10n.t("never");
      const tooltip = [
        `${state.user.name} <${state.user.email}>`,
        vscode.l10n.t("Server: {0}", apiUrl),
        vscode.l10n.t("Token: {0} from {1}, expires {2}", state.credential.kind, SOURCES[state.source](), expires),
      ].join("\n");
      return { text: `$(account) ${state.user.name}`, tooltip, command: "claudemesh.statusBarMenu", warning: false };
    }
    case "rejected":
      return {
        text: `$(warning) ${vscode.l10n.t("claudemesh: Sign in again")}`,
        tooltip: state.message,
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

/** The status-bar whoami: who is signed in, or a way to sign in. */
export function createStatusBar(identity: Identity, apiUrl: () => string): vscode.Disposable {
  const item = vscode.window.createStatusBarItem("claudemesh.status", vscode.StatusBarAlignment.Left, 100);
  item.name = "claudemesh";
  const show = (state: IdentityState) => {
    const look = statusBarLook(state, apiUrl());
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
