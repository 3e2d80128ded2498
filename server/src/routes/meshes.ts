import { CreatedInvite, CreateInviteRequest, CreateMeshRequest, type MeshList } from "@claudemesh/sdk/contracts";
import { ClaudemeshError } from "@claudemesh/sdk/errors";
import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import type { Db } from "../db/database.js";
import type { Mailer } from "../email/mailer.js";
import { inviteEmail } from "../email/templates.js";
import { DEFAULT_LOCALE } from "../i18n/locale.js";
import { type InviteRefusal, takeInviteAttempts } from "../meshes/invite-limits.js";
import { createInvite } from "../meshes/invite-store.js";
import { createMesh, findMembership, listMeshes } from "../meshes/mesh-store.js";
import { requestInfo } from "../request-info.js";
import { validJson } from "../validation.js";

export interface MeshRouteDeps {
  db: Db;
  mailer: Mailer;
  publicUrl: string;
  now: () => Date;
}

/** What a refused invite's 429 says to do instead. */
const REFUSALS: Record<InviteRefusal, string> = {
  invites: "Too many invites from you or for this mesh today. Try again tomorrow.",
  emails:
    "Too many invite emails from you or for this mesh today. Create the invite without an email and send its link yourself, or try again tomorrow.",
  recipient:
    "That address has been sent too many invites today. Create the invite without an email and send its link yourself, or try again tomorrow.",
};

/** The link an invite is shared as: its page on this server, carrying the secret. */
export function inviteUrl(publicUrl: string, secret: string): string {
  return new URL(`/invite/${secret}`, publicUrl).toString();
}

/** `/api/my/meshes`: the caller's meshes, creating one, and inviting people to it. */
export function meshRoutes({ db, mailer, publicUrl, now }: MeshRouteDeps) {
  const routes = new Hono<AppEnv>();

  routes.get("/", async (c) => c.json({ meshes: await listMeshes(db, c.var.caller.user.id) } satisfies MeshList));

  routes.post("/", validJson(CreateMeshRequest), async (c) => {
    const input = c.req.valid("json");
    const result = await createMesh(db, {
      userId: c.var.caller.user.id,
      name: input.name,
      slug: input.slug,
      request: requestInfo(c),
      now: now(),
    });
    if (result.kind === "slug_taken") {
      const message = `The slug "${result.slug}" is taken; try "${result.suggestion}".`;
      throw new ClaudemeshError("slug_taken", message, { suggestion: result.suggestion });
    }
    return c.json(result.mesh, 201);
  });

  routes.post("/:mesh/invites", validJson(CreateInviteRequest), async (c) => {
    const caller = c.var.caller;
    const input = c.req.valid("json");
    const membership = await findMembership(db, caller.user.id, c.req.param("mesh"));
    if (!membership) throw new ClaudemeshError("not_found", "You are not in a mesh with that id or slug.");
    if (membership.view.role === "member") {
      throw new ClaudemeshError("forbidden", "Only a mesh's owners and admins can invite people.");
    }
    const at = now();
    const email = input.email ?? null;
    const refused = await takeInviteAttempts(db, {
      userId: caller.user.id,
      meshId: membership.row.id,
      email,
      now: at,
    });
    if (refused) throw new ClaudemeshError("rate_limited", REFUSALS[refused]);
    const { secret, row } = await createInvite(db, {
      mesh: membership.row,
      createdBy: caller.user.id,
      email,
      role: input.role,
      expiresInSeconds: input.expires_in,
      request: requestInfo(c),
      now: at,
    });
    const url = inviteUrl(publicUrl, secret);
    // Nobody's language is stored, so the recipient's is not known: English, the default.
    const emailStatus = email
      ? await mailer.deliver(
          inviteEmail({
            to: email,
            locale: DEFAULT_LOCALE,
            inviter: caller.user.name,
            mesh: membership.row.name,
            role: row.role,
            url,
            expiresAt: row.expiresAt,
          }),
        )
      : "none";
    return c.json(
      CreatedInvite.parse({
        id: row.id,
        url,
        mesh: { id: membership.row.id, slug: membership.row.slug, name: membership.row.name },
        role: row.role,
        email: row.email,
        expires_at: row.expiresAt.toISOString(),
        email_status: emailStatus,
      }),
      201,
    );
  });

  return routes;
}
