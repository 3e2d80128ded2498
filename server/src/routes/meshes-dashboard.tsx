import { grantState, InviteRole } from "@claudemesh/sdk/contracts";
import { ClaudemeshError } from "@claudemesh/sdk/errors";
import { type Context, Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import { readGrants, updateGrant } from "../broker/grants.js";
import { memberPresence } from "../broker/presence.js";
import type { Db } from "../db/database.js";
import type { Mailer } from "../email/mailer.js";
import type { MessageKey } from "../i18n/en.js";
import { requestLocale } from "../i18n/locale.js";
import { listPendingInvites, revokeInvite } from "../meshes/invite-store.js";
import { issueInvite } from "../meshes/issue-invite.js";
import { findMembership, listMembers, listMeshes } from "../meshes/mesh-store.js";
import { requireViewer, viewerOf } from "../next-path.js";
import { INVITE_LIFETIMES, MESHES_PATH, MeshesPage, MeshPage, meshPath } from "../pages/meshes-page.js";
import type { OneTimeFlashes } from "../pages/one-time-flash.js";
import { requestInfo } from "../request-info.js";
import { formFields } from "../validation.js";
import { maskEmail } from "./invites.js";

/** `?done=` after withdrawing an invite: which notice to show (never text from the URL itself). */
const DONE_NOTICES: Record<string, MessageKey> = {
  "invite-revoked": "mesh.done.revoked",
  gone: "mesh.done.gone",
  blocked: "mesh.done.blocked",
  unblocked: "mesh.done.unblocked",
};

export interface MeshesDashboardDeps {
  db: Db;
  mailer: Mailer;
  publicUrl: string;
  flashes: OneTimeFlashes;
  now: () => Date;
}

/**
 * Meshes on the web (seed 003: a mesh made with `claudemesh create` is one
 * "the user can see on the dashboard"): the list, and a page per mesh with its
 * members; owners and admins also see pending invites, withdraw them, and make
 * a new link, which is shown once after the redirect.
 */
export function meshesDashboardRoutes({ db, mailer, publicUrl, flashes, now }: MeshesDashboardDeps) {
  const routes = new Hono<AppEnv>();
  routes.use("*", requireViewer(MESHES_PATH));

  /** The viewer's membership of the mesh in the path; someone else's mesh reads as no mesh. */
  async function membershipOf(c: Context<AppEnv>) {
    const found = await findMembership(db, viewerOf(c).id, c.req.param("mesh") ?? "");
    if (!found) throw new ClaudemeshError("not_found", "You are not in a mesh with that id or slug.");
    return found;
  }

  routes.get("/", async (c) => {
    const meshes = await listMeshes(db, viewerOf(c).id);
    const pendingInvites = new Map<string, number>();
    for (const mesh of meshes) {
      if (mesh.role !== "member") pendingInvites.set(mesh.id, (await listPendingInvites(db, mesh.id, now())).length);
    }
    return c.html(<MeshesPage page={c.var.page} meshes={meshes} pendingInvites={pendingInvites} />);
  });

  routes.get("/:mesh", async (c) => {
    const { row, view } = await membershipOf(c);
    const at = now();
    const viewer = viewerOf(c).id;
    // Presence as `GET /api/my/meshes/:mesh/peers` answers it, and the viewer's own grants.
    const [members, presence, grants, pending] = await Promise.all([
      listMembers(db, row.id),
      memberPresence(db, row.id, at),
      readGrants(db, row.id, viewer),
      view.role === "member" ? Promise.resolve([]) : listPendingInvites(db, row.id, at),
    ]);
    const presenceOf = new Map(presence.map((each) => [each.member_id, each]));
    const flash = flashes.take(c, at);
    return c.html(
      <MeshPage
        page={c.var.page}
        mesh={view}
        members={members.map((member) => ({
          ...member,
          online: presenceOf.get(member.id)?.online ?? false,
          lastSeenAt: presenceOf.get(member.id)?.last_seen_at ?? null,
          grant: member.id === viewer ? null : grantState(grants.peers[member.id]),
        }))}
        invites={pending.map(({ invite, invitedBy }) => ({
          id: invite.id,
          sentTo: invite.email ? maskEmail(invite.email) : null,
          role: invite.role,
          invitedBy,
          expiresAt: invite.expiresAt,
        }))}
        created={flash?.kind === "invite" && flash.name === view.slug ? { url: flash.value } : undefined}
        done={DONE_NOTICES[c.req.query("done") ?? ""]}
      />,
    );
  });

  routes.post("/:mesh/invites", formFields, async (c) => {
    const form = c.req.valid("form");
    const role = InviteRole.safeParse(form.role);
    const lifetime = INVITE_LIFETIMES.find((choice) => choice.value === form.expiry);
    if (!role.success || !lifetime)
      throw new ClaudemeshError("invalid_input", "Choose a role and how long the link works.");
    const at = now();
    const { url, mesh } = await issueInvite(
      { db, mailer, publicUrl },
      {
        inviter: viewerOf(c),
        mesh: c.req.param("mesh"),
        email: null,
        role: role.data,
        expiresInSeconds: lifetime.seconds,
        request: requestInfo(c),
        locale: requestLocale(c),
        now: at,
      },
    );
    // Shown once on the page this redirects to: a reload there never makes a second link.
    flashes.put(c, { kind: "invite", name: mesh.slug, value: url }, at);
    return c.redirect(meshPath(mesh.slug), 303);
  });

  routes.post("/:mesh/invites/:invite/revoke", async (c) => {
    const { row, view } = await membershipOf(c);
    // A member sees no invites, so none is theirs to withdraw: as if there were none.
    if (view.role === "member") throw new ClaudemeshError("not_found", "No such invite in this mesh.");
    const revoked = await revokeInvite(db, {
      meshId: row.id,
      inviteId: c.req.param("invite"),
      by: viewerOf(c).id,
      request: requestInfo(c),
      now: now(),
    });
    return c.redirect(`${meshPath(view.slug)}?done=${revoked ? "invite-revoked" : "gone"}`, 303);
  });

  // Block and Unblock on a member's row: the viewer's own grants, as `POST /api/my/meshes/:mesh/grants`
  // sets them (an empty list drops their DMs and broadcasts; null restores everything).
  for (const [action, capabilities] of [
    ["block", []],
    ["unblock", null],
  ] as const) {
    routes.post(`/:mesh/members/:member/${action}`, async (c) => {
      const { row, view } = await membershipOf(c);
      await updateGrant(db, {
        meshId: row.id,
        userId: viewerOf(c).id,
        peer: c.req.param("member"),
        capabilities: capabilities === null ? null : [...capabilities],
        request: requestInfo(c),
        now: now(),
      });
      return c.redirect(`${meshPath(view.slug)}?done=${action}ed`, 303);
    });
  }

  return routes;
}
