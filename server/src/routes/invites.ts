import type { AcceptedInvite, InvitePreview } from "@claudemesh/sdk/contracts";
import { ClaudemeshError } from "@claudemesh/sdk/errors";
import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import type { Db } from "../db/database.js";
import { type AcceptResult, acceptInvite, type InviteLookup, lookUpInvite } from "../meshes/invite-store.js";
import { requestInfo } from "../request-info.js";

// Invite secrets are 32 random bytes in base64url (43 characters).
const SECRET_PATH = "/:secret{[A-Za-z0-9_-]{32,128}}";

/** The error for an invite that cannot be used. */
function inviteRefusal(kind: InviteLookup["kind"] | AcceptResult["kind"]): ClaudemeshError {
  if (kind === "unknown") return noSuchInvite();
  if (kind === "expired") return new ClaudemeshError("invite_expired", "This invite has expired.");
  if (kind === "used") return new ClaudemeshError("invite_used", "This invite has already been used.");
  if (kind === "revoked")
    return new ClaudemeshError("invite_revoked", "This invite was withdrawn by the mesh's admins.");
  return new ClaudemeshError("not_found", "No such invite.");
}

const noSuchInvite = () => new ClaudemeshError("not_found", "No such invite; check the link you were sent.");

/** `/api/invites/:secret`: look at an invite, and accept it (token or browser session). */
export function inviteRoutes({ db, now }: { db: Db; now: () => Date }) {
  const routes = new Hono<AppEnv>();

  routes.get(SECRET_PATH, async (c) => {
    const found = await lookUpInvite(db, c.req.param("secret"), now());
    if (found.kind !== "open") throw inviteRefusal(found.kind);
    return c.json({
      mesh: { id: found.mesh.id, slug: found.mesh.slug, name: found.mesh.name },
      role: found.invite.role,
      invited_by: found.invitedBy,
      expires_at: found.invite.expiresAt.toISOString(),
    } satisfies InvitePreview);
  });

  routes.post(`${SECRET_PATH}/accept`, async (c) => {
    const { user } = c.var.caller;
    const result = await acceptInvite(db, {
      secret: c.req.param("secret"),
      userId: user.id,
      request: requestInfo(c),
      now: now(),
    });
    if (result.kind === "wrong_account") {
      throw new ClaudemeshError(
        "forbidden",
        `This invite was sent to ${maskEmail(result.email)}; sign in as that account.`,
      );
    }
    if (result.kind === "email_unverified") {
      throw new ClaudemeshError(
        "email_unverified",
        `This invite is for ${result.email}, and this account has not confirmed that address yet: open the link in the verification email we sent to it, or open the invite link in a browser to get a new one.`,
      );
    }
    if (result.kind !== "joined" && result.kind !== "already_member") throw inviteRefusal(result.kind);
    return c.json({ mesh: result.mesh, already_member: result.kind === "already_member" } satisfies AcceptedInvite);
  });

  routes.all("*", () => {
    throw noSuchInvite();
  });
  return routes;
}

/** `ada@example.com` → `a…@example.com`: enough to recognise, not enough to harvest. */
export function maskEmail(email: string): string {
  const [local = "", domain = ""] = email.split("@");
  return `${local.slice(0, 1)}…@${domain}`;
}
