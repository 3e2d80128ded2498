import type { Capability, Grants } from "@claudemesh/sdk/contracts";
import { ClaudemeshError } from "@claudemesh/sdk/errors";
import { and, eq, sql } from "drizzle-orm";
import { type Db, rowsOf } from "../db/database.js";
import { meshMember } from "../db/schema.js";

// Grants (seed 003): each member says what every other member may do to them.
// A member not named may do everything; an empty list blocks them.

/** `userId`'s own grants in a mesh, as the API answers them. */
export async function readGrants(db: Db, meshId: string, userId: string): Promise<Grants> {
  const [row] = await db
    .select({ peerGrants: meshMember.peerGrants })
    .from(meshMember)
    .where(and(eq(meshMember.meshId, meshId), eq(meshMember.userId, userId)));
  return { peers: (row?.peerGrants ?? {}) as Grants["peers"] };
}

/**
 * Sets what `peer` may do to `userId` (null: back to everything). The peer must
 * be another member of the mesh, so the map never names strangers.
 */
export async function updateGrant(
  db: Db,
  input: { meshId: string; userId: string; peer: string; capabilities: Capability[] | null },
): Promise<Grants> {
  if (input.peer === input.userId) {
    throw new ClaudemeshError("invalid_input", "peer: you cannot set grants for yourself.");
  }
  const [peerRow] = await db
    .select({ userId: meshMember.userId })
    .from(meshMember)
    .where(and(eq(meshMember.meshId, input.meshId), eq(meshMember.userId, input.peer)));
  if (!peerRow) throw new ClaudemeshError("not_found", "No member with that id in this mesh.");
  // One statement, so two concurrent changes for different peers both stick.
  const next =
    input.capabilities === null
      ? sql`${meshMember.peerGrants} - ${input.peer}::text`
      : sql`${meshMember.peerGrants} || jsonb_build_object(${input.peer}::text, ${JSON.stringify([...new Set(input.capabilities)])}::jsonb)`;
  await db
    .update(meshMember)
    .set({ peerGrants: next })
    .where(and(eq(meshMember.meshId, input.meshId), eq(meshMember.userId, input.userId)));
  return readGrants(db, input.meshId, input.userId);
}

/**
 * Of the mesh's members other than `senderId` (or only `onlyMember`), which take
 * `capability` from the sender and which have blocked it: one read per send.
 */
export async function recipientsByGrant(
  db: Db,
  input: { meshId: string; senderId: string; capability: Capability; onlyMember?: string },
): Promise<{ allowed: string[]; refused: string[] }> {
  const only = input.onlyMember === undefined ? sql`user_id <> ${input.senderId}` : sql`user_id = ${input.onlyMember}`;
  const rows = rowsOf<{ user_id: string; allowed: boolean }>(
    await db.execute(sql`
      select user_id,
             (not (peer_grants ? ${input.senderId}::text)
               or coalesce((peer_grants -> ${input.senderId}::text) ? ${input.capability}::text, false)) as allowed
        from mesh_member
       where mesh_id = ${input.meshId} and ${only}`),
  );
  const allowed: string[] = [];
  const refused: string[] = [];
  for (const row of rows) (row.allowed ? allowed : refused).push(row.user_id);
  return { allowed, refused };
}
