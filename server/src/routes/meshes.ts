import {
  CreatedInvite,
  CreateInviteRequest,
  CreateMeshRequest,
  type MeshList,
  type SlugTakenBody,
} from "@claudemesh/sdk/contracts";
import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import type { Db } from "../db/database.js";
import type { Mailer } from "../email/mailer.js";
import { createInvite } from "../meshes/invite-store.js";
import { createMesh, findMembership, listMeshes } from "../meshes/mesh-store.js";
import { errorResponse } from "../middleware/errors.js";
import { requestInfo } from "../request-info.js";
import { readJson } from "../validation.js";

export interface MeshRouteDeps {
  db: Db;
  mailer: Mailer;
  publicUrl: string;
  now: () => Date;
}

/** The link an invite is shared as: its page on this server, carrying the secret. */
export function inviteUrl(publicUrl: string, secret: string): string {
  return new URL(`/invite/${secret}`, publicUrl).toString();
}

/** `/api/my/meshes`: the caller's meshes, creating one, and inviting people to it. */
export function meshRoutes({ db, mailer, publicUrl, now }: MeshRouteDeps) {
  const routes = new Hono<AppEnv>();

  routes.get("/", async (c) => c.json({ meshes: await listMeshes(db, c.var.caller.user.id) } satisfies MeshList));

  routes.post("/", async (c) => {
    const input = await readJson(c, CreateMeshRequest);
    const result = await createMesh(db, {
      userId: c.var.caller.user.id,
      name: input.name,
      slug: input.slug,
      request: requestInfo(c),
      now: now(),
    });
    if (result.kind === "slug_taken") {
      return c.json(
        {
          error: "slug_taken",
          message: `The slug "${result.slug}" is taken; try "${result.suggestion}".`,
          suggestion: result.suggestion,
        } satisfies SlugTakenBody,
        409,
      );
    }
    return c.json(result.mesh, 201);
  });

  routes.post("/:mesh/invites", async (c) => {
    const caller = c.var.caller;
    const input = await readJson(c, CreateInviteRequest);
    const membership = await findMembership(db, caller.user.id, c.req.param("mesh"));
    if (!membership) return errorResponse(c, "not_found", "You are not in a mesh with that id or slug.");
    if (membership.view.role === "member") {
      return errorResponse(c, "forbidden", "Only a mesh's owners and admins can invite people.");
    }
    const at = now();
    const { secret, row } = await createInvite(db, {
      mesh: membership.row,
      createdBy: caller.user.id,
      email: input.email ?? null,
      role: input.role,
      expiresInSeconds: input.expires_in,
      request: requestInfo(c),
      now: at,
    });
    const url = inviteUrl(publicUrl, secret);
    const emailStatus = input.email
      ? await mailer.deliver({
          to: input.email,
          subject: `${caller.user.name} invited you to ${membership.row.name} on claudemesh`,
          text: [
            `${caller.user.name} invited you to join the mesh "${membership.row.name}" as ${input.role}.`,
            "",
            `Accept in your browser: ${url}`,
            `Or from a terminal:     claudemesh join ${url}`,
            "",
            `The invite works once and expires ${row.expiresAt.toUTCString()}.`,
          ].join("\n"),
        })
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
