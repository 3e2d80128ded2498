import { randomBytes, randomUUID } from "node:crypto";
import type { InviteRole, Mesh } from "@claudemesh/sdk/contracts";
import { and, desc, eq, gt, isNull } from "drizzle-orm";
import { recordAudit } from "../audit.js";
import type { Db } from "../db/database.js";
import { mesh, meshInvite, meshMember, user } from "../db/schema.js";
import { sha256 } from "../hash.js";
import type { RequestInfo } from "../request-info.js";
import { findMembership, type MeshRow } from "./mesh-store.js";

export type InviteRow = typeof meshInvite.$inferSelect;

/** Creates a single-use invite; the secret is returned once and only its hash is kept. */
export async function createInvite(
  db: Db,
  input: {
    mesh: MeshRow;
    createdBy: string;
    email: string | null;
    role: InviteRole;
    expiresInSeconds: number;
    request: RequestInfo;
    now: Date;
  },
): Promise<{ secret: string; row: InviteRow }> {
  const secret = randomBytes(32).toString("base64url");
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(meshInvite)
      .values({
        id: randomUUID(),
        meshId: input.mesh.id,
        secretHash: sha256(secret),
        email: input.email,
        role: input.role,
        createdBy: input.createdBy,
        createdAt: input.now,
        expiresAt: new Date(input.now.getTime() + input.expiresInSeconds * 1000),
      })
      .returning();
    if (!row) throw new Error("insert returned no invite");
    await recordAudit(tx, {
      action: "mesh.invite.created",
      userId: input.createdBy,
      targetId: row.id,
      request: input.request,
      metadata: { mesh_id: input.mesh.id, role: input.role, emailed: input.email !== null },
      at: input.now,
    });
    return { secret, row };
  });
}

export type InviteLookup =
  | { kind: "unknown" }
  | { kind: "expired" | "used" | "revoked"; invite: InviteRow; mesh: MeshRow }
  | { kind: "open"; invite: InviteRow; mesh: MeshRow; invitedBy: string | null };

/** What an invite URL points at, and whether it can still be accepted. */
export async function lookUpInvite(db: Db, secret: string, now: Date): Promise<InviteLookup> {
  const [found] = await db
    .select({ invite: meshInvite, mesh, invitedBy: user.name })
    .from(meshInvite)
    .innerJoin(mesh, eq(mesh.id, meshInvite.meshId))
    .leftJoin(user, eq(user.id, meshInvite.createdBy))
    .where(eq(meshInvite.secretHash, sha256(secret)));
  if (!found) return { kind: "unknown" };
  if (found.invite.acceptedAt) return { kind: "used", invite: found.invite, mesh: found.mesh };
  if (found.invite.revokedAt) return { kind: "revoked", invite: found.invite, mesh: found.mesh };
  if (found.invite.expiresAt.getTime() <= now.getTime()) {
    return { kind: "expired", invite: found.invite, mesh: found.mesh };
  }
  return { kind: "open", invite: found.invite, mesh: found.mesh, invitedBy: found.invitedBy };
}

export type AcceptResult =
  | { kind: "joined" | "already_member"; mesh: Mesh }
  | { kind: "unknown" | "expired" | "used" | "revoked" }
  | { kind: "wrong_account" | "email_unverified"; email: string };

/**
 * `userId` accepts an invite: joins the mesh with the invite's role and uses
 * the invite up, in one transaction (a conditional UPDATE, so two people
 * racing for one invite cannot both get in). Someone already in the mesh
 * keeps the invite unused. An invite sent to an email address is for the
 * account that has proved it owns that address (Better Auth's email
 * verification), read from the database now; an unverified one is told so.
 */
export async function acceptInvite(
  db: Db,
  input: { secret: string; userId: string; request: RequestInfo; now: Date },
): Promise<AcceptResult> {
  const found = await lookUpInvite(db, input.secret, input.now);
  if (found.kind === "unknown") return found;
  const existing = await findMembership(db, input.userId, found.mesh.id);
  if (existing) return { kind: "already_member", mesh: existing.view };
  if (found.kind !== "open") return { kind: found.kind };
  if (found.invite.email) {
    const [account] = await db
      .select({ email: user.email, verified: user.emailVerified })
      .from(user)
      .where(eq(user.id, input.userId));
    if (account?.email.toLowerCase() !== found.invite.email.toLowerCase()) {
      return { kind: "wrong_account", email: found.invite.email };
    }
    if (!account.verified) return { kind: "email_unverified", email: found.invite.email };
  }

  const joined = await db.transaction(async (tx) => {
    const [used] = await tx
      .update(meshInvite)
      .set({ acceptedAt: input.now, acceptedBy: input.userId })
      .where(
        and(
          eq(meshInvite.id, found.invite.id),
          isNull(meshInvite.acceptedAt),
          isNull(meshInvite.revokedAt),
          gt(meshInvite.expiresAt, input.now),
        ),
      )
      .returning();
    if (!used) return false;
    await tx
      .insert(meshMember)
      .values({ meshId: found.mesh.id, userId: input.userId, role: found.invite.role, joinedAt: input.now })
      .onConflictDoNothing();
    await recordAudit(tx, {
      action: "mesh.invite.accepted",
      userId: input.userId,
      targetId: found.invite.id,
      request: input.request,
      metadata: { mesh_id: found.mesh.id, role: found.invite.role },
      at: input.now,
    });
    return true;
  });
  if (!joined) {
    const latest = await lookUpInvite(db, input.secret, input.now);
    return { kind: latest.kind === "open" ? "used" : latest.kind };
  }
  const membership = await findMembership(db, input.userId, found.mesh.id);
  if (!membership) throw new Error("joined a mesh but cannot read the membership back");
  return { kind: "joined", mesh: membership.view };
}

/** A mesh's invites still waiting to be used (not accepted, withdrawn or expired), newest first. */
export function listPendingInvites(db: Db, meshId: string, now: Date) {
  return db
    .select({ invite: meshInvite, invitedBy: user.name })
    .from(meshInvite)
    .leftJoin(user, eq(user.id, meshInvite.createdBy))
    .where(
      and(
        eq(meshInvite.meshId, meshId),
        isNull(meshInvite.acceptedAt),
        isNull(meshInvite.revokedAt),
        gt(meshInvite.expiresAt, now),
      ),
    )
    .orderBy(desc(meshInvite.createdAt));
}

/**
 * Withdraws a pending invite of `meshId`, with its audit row: its link stops
 * working at once. False when there is no such pending invite in that mesh.
 */
export async function revokeInvite(
  db: Db,
  input: { meshId: string; inviteId: string; by: string; request: RequestInfo; now: Date },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [revoked] = await tx
      .update(meshInvite)
      .set({ revokedAt: input.now })
      .where(
        and(
          eq(meshInvite.id, input.inviteId),
          eq(meshInvite.meshId, input.meshId),
          isNull(meshInvite.acceptedAt),
          isNull(meshInvite.revokedAt),
        ),
      )
      .returning({ id: meshInvite.id });
    if (!revoked) return false;
    await recordAudit(tx, {
      action: "mesh.invite.revoked",
      userId: input.by,
      targetId: revoked.id,
      request: input.request,
      metadata: { mesh_id: input.meshId },
      at: input.now,
    });
    return true;
  });
}
