import type { ApiClient, CliSession, Mesh, TokenSummary } from "@claudemesh/sdk";
import * as vscode from "vscode";
import type { Identity } from "../identity.js";
import { memberRows } from "./mesh-nodes.js";
import { InfoNode, type TreeNode } from "./tree-node.js";

const day = (iso: string | null, none: string) => (iso ? new Date(iso).toLocaleDateString() : none);

/** Account: who, which server, where the token came from. Empty when signed out (the welcome view shows). */
export async function accountRows(identity: Identity, apiUrl: string): Promise<TreeNode[]> {
  const state = identity.state;
  if (state.kind === "signed_out" || state.kind === "checking") return [];
  const rows: TreeNode[] = [];
  // An unreadable store names no account: its secret, if any, proves nobody.
  if (state.kind === "unreadable") {
    rows.push(new InfoNode(vscode.l10n.t("Server"), { description: apiUrl, icon: "server" }));
    rows.push(new InfoNode(state.message, { icon: "warning", tooltip: state.hint }));
    return rows;
  }
  const user = state.user;
  if (user) rows.push(new InfoNode(user.name, { description: user.email, icon: "account" }));
  rows.push(new InfoNode(vscode.l10n.t("Server"), { description: apiUrl, icon: "server" }));
  rows.push(new InfoNode(vscode.l10n.t("Source"), { description: state.source, icon: "key" }));
  if (state.kind !== "signed_in") rows.push(new InfoNode(state.message, { icon: "warning" }));
  return rows;
}

/** CLI Sessions: every device signed in with `claudemesh login`, this one marked. */
export function sessionRow(session: CliSession): TreeNode {
  const device = `${session.device_name ?? "?"} · ${session.device_os ?? "?"} · ${session.device_arch ?? "?"}`;
  const used = day(session.last_used_at, vscode.l10n.t("never used"));
  const lastUsed = session.current
    ? vscode.l10n.t("this window · last used {0}", used)
    : vscode.l10n.t("last used {0}", used);
  // The device fields are the requester's to choose; the address is the server's: a phished session shows it.
  const from = session.ip_address ? vscode.l10n.t("from {0}", session.ip_address) : undefined;
  return new InfoNode(device, {
    id: `session:${session.id}`,
    description: from ? `${from} · ${lastUsed}` : lastUsed,
    icon: session.current ? "vm-active" : "vm",
    contextValue: "claudemesh.session",
    tooltip: from ? `${session.id} · ${from}` : session.id,
    resource: session.id,
  });
}

/** A server list as rows: nothing when signed out (the welcome view shows), an explicit row when empty. */
async function listRows<T>(
  identity: Identity,
  fetch: (api: ApiClient) => Promise<T[]>,
  empty: string,
  row: (item: T) => TreeNode,
): Promise<TreeNode[]> {
  if (identity.state.kind !== "signed_in") return [];
  const items = await identity.call(fetch);
  return items.length === 0 ? [new InfoNode(empty, { icon: "info" })] : items.map(row);
}

export function sessionRows(identity: Identity): Promise<TreeNode[]> {
  const empty = vscode.l10n.t("No terminals are signed in.");
  return listRows(identity, async (api) => (await api.listSessions()).sessions, empty, sessionRow);
}

/** Access Tokens: name, the address it was made from, expiry, last use; never the value. */
export function tokenRow(token: TokenSummary): TreeNode {
  const lifetime = vscode.l10n.t(
    "expires {0} · last used {1}",
    day(token.expires_at, vscode.l10n.t("never")),
    day(token.last_used_at, vscode.l10n.t("never")),
  );
  const from = token.ip_address ? vscode.l10n.t("from {0}", token.ip_address) : undefined;
  return new InfoNode(token.name, {
    id: `token:${token.id}`,
    description: from ? `${from} · ${lifetime}` : lifetime,
    icon: "key",
    contextValue: "claudemesh.token",
    tooltip: [token.id, token.browser, from].filter(Boolean).join(" · "),
    resource: token.id,
  });
}

export function tokenRows(identity: Identity): Promise<TreeNode[]> {
  const empty = vscode.l10n.t("No access tokens yet.");
  return listRows(identity, async (api) => (await api.listTokens()).tokens, empty, tokenRow);
}

/** Meshes: from the server, each launchable in a terminal; expanded, its members with presence and your grants. */
export function meshRow(mesh: Mesh, members?: () => Promise<TreeNode[]>): TreeNode {
  return new InfoNode(mesh.slug, {
    id: `mesh:${mesh.id}`,
    description: `${mesh.name} · ${mesh.role}`,
    icon: "organization",
    contextValue: "claudemesh.mesh",
    tooltip: mesh.id,
    resource: mesh.slug,
    children: members,
  });
}

export function meshRows(identity: Identity): Promise<TreeNode[]> {
  const empty = vscode.l10n.t("No meshes yet.");
  const viewer = () => (identity.state.kind === "signed_in" ? identity.state.user.id : undefined);
  const members = (mesh: Mesh) => () => memberRows(identity, mesh, viewer());
  return listRows(
    identity,
    async (api) => (await api.listMeshes()).meshes,
    empty,
    (mesh) => meshRow(mesh, members(mesh)),
  );
}
