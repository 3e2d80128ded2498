import { randomUUID } from "node:crypto";
import { isMeshIdShaped, type Mesh, type MeshRole, slugify } from "@claudemesh/sdk/contracts";
import { and, eq, like, sql } from "drizzle-orm";
import { recordAudit } from "../audit.js";
import type { Db } from "../db/database.js";
import { mesh, meshMember, user } from "../db/schema.js";
import type { RequestInfo } from "../request-info.js";

export type MeshRow = typeof mesh.$inferSelect;

/** A mesh with the caller's membership, as the API answers it. */
export function meshView(row: MeshRow, role: MeshRole, joinedAt: Date, memberCount: number): Mesh {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    role,
    member_count: memberCount,
    created_at: row.createdAt.toISOString(),
    joined_at: joinedAt.toISOString(),
  };
}

const memberCount = sql<number>`(select count(*)::int from mesh_member m where m.mesh_id = ${mesh.id})`;

/** The meshes `userId` belongs to, oldest membership first. */
export async function listMeshes(db: Db, userId: string): Promise<Mesh[]> {
  const rows = await db
    .select({ mesh, role: meshMember.role, joinedAt: meshMember.joinedAt, members: memberCount })
    .from(meshMember)
    .innerJoin(mesh, eq(mesh.id, meshMember.meshId))
    .where(eq(meshMember.userId, userId))
    .orderBy(meshMember.joinedAt, mesh.slug);
  return rows.map((row) => meshView(row.mesh, row.role, row.joinedAt, Number(row.members)));
}

/**
 * `userId`'s membership in the mesh with this id or slug; undefined when they are
 * not in it. An id-shaped name is looked up by id only, anything else by slug
 * only, so a slug can never be taken for another mesh's id.
 */
export async function findMembership(db: Db, userId: string, idOrSlug: string) {
  const named = isMeshIdShaped(idOrSlug) ? eq(mesh.id, idOrSlug.toLowerCase()) : eq(mesh.slug, idOrSlug);
  const [row] = await db
    .select({ mesh, role: meshMember.role, joinedAt: meshMember.joinedAt, members: memberCount })
    .from(meshMember)
    .innerJoin(mesh, eq(mesh.id, meshMember.meshId))
    .where(and(eq(meshMember.userId, userId), named));
  return row ? { row: row.mesh, view: meshView(row.mesh, row.role, row.joinedAt, Number(row.members)) } : undefined;
}

/** The first of `base-2`, `base-3`, … that no mesh uses and that is not id-shaped. */
async function freeSlugLike(db: Db, base: string): Promise<string> {
  const stem = base.slice(0, 44).replace(/-+$/, "");
  const taken = new Set(
    (
      await db
        .select({ slug: mesh.slug })
        .from(mesh)
        .where(like(mesh.slug, `${stem}-%`))
    ).map((row) => row.slug),
  );
  for (let n = 2; ; n += 1) {
    const candidate = `${stem}-${n}`;
    if (!taken.has(candidate) && !isMeshIdShaped(candidate)) return candidate;
  }
}

export type CreateMeshResult =
  | { kind: "created"; mesh: Mesh }
  | { kind: "slug_taken"; slug: string; suggestion: string };

/**
 * Creates a mesh owned by `userId`, with the given slug or one derived from
 * the name. A slug in use is refused with a free one to suggest (the unique
 * index decides races between two creators).
 */
export async function createMesh(
  db: Db,
  input: { userId: string; name: string; slug?: string; request: RequestInfo; now: Date },
): Promise<CreateMeshResult> {
  const slug = input.slug ?? slugify(input.name);
  const created = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(mesh)
      .values({ id: randomUUID(), name: input.name, slug, createdBy: input.userId, createdAt: input.now })
      .onConflictDoNothing({ target: mesh.slug })
      .returning();
    if (!row) return undefined;
    await tx.insert(meshMember).values({ meshId: row.id, userId: input.userId, role: "owner", joinedAt: input.now });
    await recordAudit(tx, {
      action: "mesh.created",
      userId: input.userId,
      targetId: row.id,
      request: input.request,
      metadata: { slug },
      at: input.now,
    });
    return row;
  });
  if (!created) return { kind: "slug_taken", slug, suggestion: await freeSlugLike(db, slug) };
  return { kind: "created", mesh: meshView(created, "owner", input.now, 1) };
}

/** Who belongs to a mesh, owners first, then by when they joined. */
export function listMembers(db: Db, meshId: string) {
  return db
    .select({ id: user.id, name: user.name, email: user.email, role: meshMember.role, joinedAt: meshMember.joinedAt })
    .from(meshMember)
    .innerJoin(user, eq(user.id, meshMember.userId))
    .where(eq(meshMember.meshId, meshId))
    .orderBy(sql`case ${meshMember.role} when 'owner' then 0 when 'admin' then 1 else 2 end`, meshMember.joinedAt);
}
