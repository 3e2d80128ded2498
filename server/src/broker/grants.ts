import type { Capability, Grants } from "@claudemesh/sdk/contracts";
import { ClaudemeshError } from "@claudemesh/sdk/errors";
import { and, eq, type SQL, sql } from "drizzle-orm";
import { recordAudit } from "../audit.js";
import type { Db } from "../db/database.js";
import { meshMember } from "../db/schema.js";
import type { RequestInfo } from "../request-info.js";

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
 * Sets what `peer` may do to `userId` (null: back to everything), and records it
 * in the audit log. The peer must be another member of the mesh, so the map
 * never names strangers.
 */
export async function updateGrant(
  db: Db,
  input: {
    meshId: string;
    userId: string;
    peer: string;
    capabilities: Capability[] | null;
    request: RequestInfo;
    now: Date;
  },
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
  const capabilities = input.capabilities === null ? null : [...new Set(input.capabilities)];
  const next =
    capabilities === null
      ? sql`${meshMember.peerGrants} - ${input.peer}::text`
      : sql`${meshMember.peerGrants} || jsonb_build_object(${input.peer}::text, ${JSON.stringify(capabilities)}::jsonb)`;
  await db.transaction(async (tx) => {
    await tx
      .update(meshMember)
      .set({ peerGrants: next })
      .where(and(eq(meshMember.meshId, input.meshId), eq(meshMember.userId, input.userId)));
    await recordAudit(tx, {
      action: "mesh.grant.changed",
      userId: input.userId,
      targetId: input.peer,
      request: input.request,
      metadata: { mesh: input.meshId, capabilities },
      at: input.now,
    });
  });
  return readGrants(db, input.meshId, input.userId);
}

/**
 * True where the `mesh_member` row (as `member`) takes `capability` from the
 * sender: not named in its grants, or named with that capability. Both are SQL
 * (columns of the per-send read, which checks a batch of sends in one statement).
 */
export function grantAllows(senderId: SQL, capability: SQL): SQL {
  return sql`(not (member.peer_grants ? ${senderId})
    or coalesce((member.peer_grants -> ${senderId}) ? ${capability}, false))`;
}
