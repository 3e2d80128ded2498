import { type ApiClient, ClaudemeshError, type LoginResult, MESH_SLUG_PATTERN, redactTokens } from "@claudemesh/sdk";
import * as vscode from "vscode";
import { errorHint, errorMessage } from "./error-hints.js";
import type { Identity } from "./identity.js";
import type { Log } from "./output-log.js";
import { signInWithToken, signOut } from "./sign-in.js";
import type { MemberNode } from "./views/mesh-nodes.js";
import type { InfoNode } from "./views/tree-node.js";

export interface CommandDeps {
  identity: Identity;
  api: (token?: string) => Promise<ApiClient>;
  apiUrl: () => string;
  /** Refreshes every tree after something changed on the server. */
  refreshTrees: () => void;
  /** The browser sign-in (redirect or device code), as the Accounts menu runs it. */
  signIn: () => Promise<LoginResult>;
  log?: Log;
}

/** Runs a command, showing a failure as an error message instead of losing it. */
function reported(run: (...args: never[]) => Promise<unknown>) {
  return async (...args: never[]) => {
    try {
      return await run(...args);
    } catch (error) {
      if (error instanceof ClaudemeshError && error.code === "cancelled") return undefined;
      const message = errorMessage(error);
      const hint = errorHint(error);
      const next = hint ? ` ${hint}` : "";
      void vscode.window.showErrorMessage(redactTokens(`claudemesh: ${message}${next}`));
      return undefined;
    }
  };
}

/** A modal "are you sure?"; true only for the named action. */
async function confirmed(message: string, action: string): Promise<boolean> {
  return (await vscode.window.showWarningMessage(message, { modal: true }, action)) === action;
}

/** Every `claudemesh.*` command the extension contributes. */
export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const { identity, api, apiUrl, refreshTrees, signIn } = deps;
  const accountDeps = { identity, api, log: deps.log };
  const dashboard = () => vscode.Uri.parse(new URL("/dashboard/settings/cli-tokens", apiUrl()).toString());
  const command = (id: string, run: (...args: never[]) => Promise<unknown>) =>
    vscode.commands.registerCommand(id, reported(run));
  /** A tree row's inline Revoke: a modal confirm, the server call, fresh trees. True when it revoked. */
  const revokeAfterConfirming = async (
    node: InfoNode | undefined,
    question: string,
    revoke: (api: ApiClient, id: string) => Promise<unknown>,
  ): Promise<boolean> => {
    const id = node?.options.resource;
    if (!id || !(await confirmed(question, vscode.l10n.t("Revoke")))) return false;
    await identity.call((api) => revoke(api, id));
    refreshTrees();
    return true;
  };

  return [
    command("claudemesh.signIn", async () => {
      const result = await signIn();
      void vscode.window.showInformationMessage(vscode.l10n.t("Signed in to claudemesh as {0}.", result.user.name));
    }),
    command("claudemesh.signInWithToken", async () => {
      const result = await signInWithToken(accountDeps);
      if (result)
        void vscode.window.showInformationMessage(vscode.l10n.t("Signed in to claudemesh as {0}.", result.user.name));
    }),
    command("claudemesh.signOut", async () => {
      const { revoked } = await signOut(accountDeps);
      void vscode.window.showInformationMessage(
        revoked
          ? vscode.l10n.t("Signed out of claudemesh; the session was revoked on the server.")
          : vscode.l10n.t("Signed out of claudemesh."),
      );
    }),
    command("claudemesh.openDashboard", async () => vscode.env.openExternal(dashboard())),
    command("claudemesh.showAccount", async () => vscode.commands.executeCommand("claudemesh.account.focus")),
    command("claudemesh.statusBarMenu", async () => {
      const items = [
        { label: `$(account) ${vscode.l10n.t("Show Account")}`, command: "claudemesh.showAccount" },
        { label: `$(link-external) ${vscode.l10n.t("Open Dashboard")}`, command: "claudemesh.openDashboard" },
        { label: `$(sign-out) ${vscode.l10n.t("Sign Out")}`, command: "claudemesh.signOut" },
      ];
      const picked = await vscode.window.showQuickPick(items, { placeHolder: "claudemesh" });
      if (picked) await vscode.commands.executeCommand(picked.command);
    }),
    command("claudemesh.refresh", async () => {
      await identity.refresh("the Refresh command");
      refreshTrees();
    }),
    command("claudemesh.sessions.revoke", async (node: InfoNode) => {
      const question = vscode.l10n.t(
        "Revoke the CLI session on {0}? That terminal is signed out at once.",
        node?.label,
      );
      if (await revokeAfterConfirming(node, question, (api, id) => api.revokeSession(id))) {
        await identity.refresh("a CLI session was revoked"); // it may have been this window's own session
      }
    }),
    // Personal access tokens are made only in a browser session (a token may not mint a longer-lived one): open that page.
    command("claudemesh.tokens.create", async () => vscode.env.openExternal(dashboard())),
    command("claudemesh.tokens.revoke", async (node: InfoNode) => {
      const question = vscode.l10n.t("Revoke the token “{0}”? Anything using it stops working at once.", node?.label);
      await revokeAfterConfirming(node, question, (api, id) => api.revokeToken(id));
    }),
    command("claudemesh.meshes.launch", async (node: InfoNode) => {
      const slug = node?.options.resource;
      if (!slug) return;
      // The slug is typed into a shell: a server's `x; curl … | sh` must never get there.
      if (!MESH_SLUG_PATTERN.test(slug)) {
        throw new ClaudemeshError(
          "bad_response",
          vscode.l10n.t("The server sent a mesh slug that is not one: {0}", slug),
        );
      }
      const terminal = vscode.window.createTerminal({ name: `claudemesh · ${slug}` });
      terminal.show();
      terminal.sendText(`claudemesh launch --mesh ${slug}`);
    }),
    // Your own grants for that member, as `claudemesh block` / `unblock` set them: [] drops their DMs
    // and broadcasts to you (silently, so they are not told); null gives them everything again.
    command("claudemesh.meshes.block", async (node: MemberNode) => {
      if (!node?.member) return;
      const question = vscode.l10n.t(
        "Block {0} in {1}? Their direct messages and broadcasts to you are dropped, and they are not told.",
        node.member.name,
        node.mesh.slug,
      );
      if (!(await confirmed(question, vscode.l10n.t("Block")))) return;
      await identity.call((api) => api.updateGrant(node.mesh.slug, { peer: node.member.member_id, capabilities: [] }));
      refreshTrees();
    }),
    command("claudemesh.meshes.unblock", async (node: MemberNode) => {
      if (!node?.member) return;
      await identity.call((api) =>
        api.updateGrant(node.mesh.slug, { peer: node.member.member_id, capabilities: null }),
      );
      refreshTrees();
    }),
  ];
}
