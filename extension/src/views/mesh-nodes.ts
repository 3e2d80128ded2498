import { type GrantState, type Grants, grantState, type MemberPresence, type Mesh, type Peer } from "@claudemesh/sdk";
import * as vscode from "vscode";
import type { Identity } from "../identity.js";
import type { TreeNode } from "./tree-node.js";

/** Context values of a member row: the menu offers Block on the first, Unblock on the second, nothing on your own. */
export const MEMBER_CONTEXT = {
  allowed: "claudemesh.member",
  blocked: "claudemesh.member.blocked",
  you: "claudemesh.member.you",
} as const;

/** One session of a member: its name, what kind of client, where it runs. */
export class PeerSessionNode implements TreeNode {
  constructor(readonly peer: Peer) {}

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.peer.display_name, vscode.TreeItemCollapsibleState.None);
    item.id = `peer:${this.peer.member_id}:${this.peer.session_id}`;
    item.description = [this.peer.kind, this.peer.role, this.peer.host].filter(Boolean).join(" · ");
    item.tooltip = vscode.l10n.t("connected since {0}", new Date(this.peer.connected_at).toLocaleString());
    item.iconPath = new vscode.ThemeIcon(this.peer.kind === "vscode" ? "vscode" : "terminal");
    return item;
  }
}

/** A member of a mesh: online or not, what you allow them, their sessions below. */
export class MemberNode implements TreeNode {
  constructor(
    readonly mesh: Pick<Mesh, "id" | "slug">,
    readonly member: MemberPresence,
    /** Null on your own row: you have no grant for yourself. */
    readonly grant: GrantState | null,
  ) {}

  treeItem(): vscode.TreeItem {
    const { member, grant } = this;
    const sessions = member.sessions.length;
    const item = new vscode.TreeItem(
      member.name,
      sessions > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = `member:${this.mesh.id}:${member.member_id}`;
    const presence = member.online
      ? sessions === 1
        ? vscode.l10n.t("online · 1 session")
        : vscode.l10n.t("online · {0} sessions", sessions)
      : vscode.l10n.t("offline");
    const grantText = {
      allowed: undefined,
      dm: vscode.l10n.t("direct messages only"),
      broadcast: vscode.l10n.t("broadcasts only"),
      blocked: vscode.l10n.t("blocked"),
    } satisfies Record<GrantState, string | undefined>;
    const you = grant === null ? vscode.l10n.t("you") : undefined;
    const allowed = grant ? grantText[grant] : undefined;
    // What you allow them first: a sidebar of VS Code's default width cuts the description from the end.
    item.description = [you, allowed, presence].filter(Boolean).join(" · ");
    const lastSeen = member.last_seen_at
      ? vscode.l10n.t("last seen {0}", new Date(member.last_seen_at).toLocaleString())
      : vscode.l10n.t("never connected");
    item.tooltip = [member.member_id, allowed, member.online ? presence : lastSeen].filter(Boolean).join(" · ");
    item.iconPath =
      grant === "blocked"
        ? new vscode.ThemeIcon("circle-slash", new vscode.ThemeColor("errorForeground"))
        : member.online
          ? new vscode.ThemeIcon("circle-filled", new vscode.ThemeColor("testing.iconPassed"))
          : new vscode.ThemeIcon("circle-outline");
    item.contextValue =
      grant === null ? MEMBER_CONTEXT.you : grant === "blocked" ? MEMBER_CONTEXT.blocked : MEMBER_CONTEXT.allowed;
    return item;
  }

  async children(): Promise<TreeNode[]> {
    return this.member.sessions.map((peer) => new PeerSessionNode(peer));
  }
}

/**
 * The members of a mesh with presence and your grants: two reads, done each time
 * the tree asks (on expand and on every refresh), never in the background.
 */
export async function memberRows(
  identity: Pick<Identity, "call">,
  mesh: Pick<Mesh, "id" | "slug">,
  viewerId: string | undefined,
): Promise<TreeNode[]> {
  const [{ members }, grants] = await identity.call((api) =>
    Promise.all([api.listPeers(mesh.slug), api.getGrants(mesh.slug)] as const),
  );
  return orderedMembers(members).map(
    (member) => new MemberNode(mesh, member, member.member_id === viewerId ? null : grantOf(grants, member)),
  );
}

const grantOf = (grants: Grants, member: MemberPresence) => grantState(grants.peers[member.member_id]);

/** Online first, then as the server listed them (owners, admins, members; by joining). */
function orderedMembers(members: MemberPresence[]): MemberPresence[] {
  return [...members.filter((member) => member.online), ...members.filter((member) => !member.online)];
}
