import type { MemberPresence, Peer, PeerKind } from "@claudemesh/sdk/contracts";
import { and, eq, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "../db/database.js";
import { brokerConnection, brokerInstance, meshMember, user } from "../db/schema.js";

// Who is online, kept in Postgres so every instance can list every peer. Each
// instance beats a heartbeat; the connections of one that stopped beating (a
// crash, a killed container) are removed by whichever instance notices first.

/** How often an instance says it is alive. */
export const HEARTBEAT_INTERVAL_MS = 5_000;
/** An instance silent this long is taken for dead and its connections removed. */
export const INSTANCE_EXPIRY_MS = 30_000;

export type ConnectionRow = typeof brokerConnection.$inferSelect;

/** A connection row as other members see it. */
export function peerOf(row: ConnectionRow): Peer {
  return {
    member_id: row.memberId,
    session_id: row.sessionId,
    display_name: row.displayName,
    role: row.role,
    host: row.host,
    kind: row.kind as PeerKind,
    connected_at: row.connectedAt.toISOString(),
  };
}

export async function registerInstance(db: Db, instanceId: string, now: Date): Promise<void> {
  await db.insert(brokerInstance).values({ id: instanceId, startedAt: now, heartbeatAt: now });
}

/**
 * Beats this instance's heartbeat (recreating its row if another instance took
 * it for dead) and removes the instances that stopped beating, with their
 * connections, which are returned so they can be announced as gone.
 */
export async function beatAndExpire(db: Db, instanceId: string, now: Date): Promise<ConnectionRow[]> {
  await db
    .insert(brokerInstance)
    .values({ id: instanceId, startedAt: now, heartbeatAt: now })
    .onConflictDoUpdate({ target: brokerInstance.id, set: { heartbeatAt: now } });
  const cutoff = new Date(now.getTime() - INSTANCE_EXPIRY_MS);
  return db.transaction(async (tx) => {
    const dead = tx
      .select({ id: brokerInstance.id })
      .from(brokerInstance)
      .where(lt(brokerInstance.heartbeatAt, cutoff));
    // Connections first: deleting the instance would cascade to them, and they are to be announced.
    const gone = await tx.delete(brokerConnection).where(inArray(brokerConnection.instanceId, dead)).returning();
    await tx.delete(brokerInstance).where(lt(brokerInstance.heartbeatAt, cutoff));
    await touchLastSeen(tx, gone, now);
    return gone;
  });
}

/**
 * Records a new connection. An older connection of the same member with the
 * same session id is removed and returned: its socket is to be closed (4009).
 */
export async function openConnection(db: Db, row: ConnectionRow): Promise<ConnectionRow | undefined> {
  return db.transaction(async (tx) => {
    const [replaced] = await tx
      .delete(brokerConnection)
      .where(
        and(
          eq(brokerConnection.meshId, row.meshId),
          eq(brokerConnection.memberId, row.memberId),
          eq(brokerConnection.sessionId, row.sessionId),
        ),
      )
      .returning();
    await tx.insert(brokerConnection).values(row);
    await touchLastSeen(tx, [row], row.connectedAt);
    return replaced;
  });
}

/** Removes a closed connection; returns its row unless it was already gone (replaced, expired). */
export async function closeConnection(db: Db, id: string, now: Date): Promise<ConnectionRow | undefined> {
  const [gone] = await db.delete(brokerConnection).where(eq(brokerConnection.id, id)).returning();
  if (gone) await touchLastSeen(db, [gone], now);
  return gone;
}

/** How many connections, on every instance, use this token. */
export async function connectionsOfToken(db: Db, tokenId: string): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(brokerConnection)
    .where(eq(brokerConnection.tokenId, tokenId));
  return Number(row?.count ?? 0);
}

async function touchLastSeen(db: Db, rows: readonly ConnectionRow[], now: Date): Promise<void> {
  for (const row of rows) {
    await db
      .update(meshMember)
      .set({ lastSeenAt: now })
      .where(and(eq(meshMember.meshId, row.meshId), eq(meshMember.userId, row.memberId)));
  }
}

/** The visible connections in a mesh, oldest first. */
export async function visiblePeers(db: Db, meshId: string): Promise<ConnectionRow[]> {
  return db
    .select()
    .from(brokerConnection)
    .where(and(eq(brokerConnection.meshId, meshId), eq(brokerConnection.visible, true)))
    .orderBy(brokerConnection.connectedAt, brokerConnection.id);
}

/** Every member of a mesh with their visible sessions: `GET /api/my/meshes/:mesh/peers`. */
export async function memberPresence(db: Db, meshId: string, now: Date): Promise<MemberPresence[]> {
  const [members, peers] = await Promise.all([
    db
      .select({ id: user.id, name: user.name, role: meshMember.role, lastSeenAt: meshMember.lastSeenAt })
      .from(meshMember)
      .innerJoin(user, eq(user.id, meshMember.userId))
      .where(eq(meshMember.meshId, meshId))
      .orderBy(sql`case ${meshMember.role} when 'owner' then 0 when 'admin' then 1 else 2 end`, meshMember.joinedAt),
    visiblePeers(db, meshId),
  ]);
  return members.map((member) => {
    const sessions = peers.filter((peer) => peer.memberId === member.id).map(peerOf);
    const online = sessions.length > 0;
    return {
      member_id: member.id,
      name: member.name,
      mesh_role: member.role,
      online,
      last_seen_at: online ? now.toISOString() : (member.lastSeenAt?.toISOString() ?? null),
      sessions,
    };
  });
}
