import { CreatedInvite, CreateInviteRequest, CreateMeshRequest, type MeshList } from "@claudemesh/sdk/contracts";
import { ClaudemeshError } from "@claudemesh/sdk/errors";
import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import type { Db } from "../db/database.js";
import type { Mailer } from "../email/mailer.js";
import { requestLocale } from "../i18n/locale.js";
import { issueInvite } from "../meshes/issue-invite.js";
import { createMesh, listMeshes } from "../meshes/mesh-store.js";
import { requestInfo } from "../request-info.js";
import { validJson } from "../validation.js";

export interface MeshRouteDeps {
  db: Db;
  mailer: Mailer;
  publicUrl: string;
  now: () => Date;
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
    const input = c.req.valid("json");
    const { url, row, mesh, emailStatus } = await issueInvite(
      { db, mailer, publicUrl },
      {
        inviter: c.var.caller.user,
        mesh: c.req.param("mesh"),
        email: input.email ?? null,
        role: input.role,
        expiresInSeconds: input.expires_in,
        request: requestInfo(c),
        locale: requestLocale(c),
        now: now(),
      },
    );
    return c.json(
      CreatedInvite.parse({
        id: row.id,
        url,
        mesh: { id: mesh.id, slug: mesh.slug, name: mesh.name },
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
