import { randomBytes, randomUUID } from "node:crypto";
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "../db/database.js";
import { securityAlert } from "../db/schema.js";
import { sha256 } from "../hash.js";
import { DAY_MS } from "../tokens/token-store.js";

export type AlertRow = typeof securityAlert.$inferSelect;
export type AlertKind = AlertRow["kind"];

/** How long a "this wasn't me" link works: long enough for someone back from a week away. */
export const ALERT_LIFETIME_MS = 14 * DAY_MS;

/** Records an alert; its secret (for the email's link) is returned once and only its hash kept. */
export async function createAlert(
  db: Db,
  input: { userId: string; kind: AlertKind; targetId: string | null; now: Date },
): Promise<{ secret: string; row: AlertRow }> {
  const secret = randomBytes(32).toString("base64url");
  const [row] = await db
    .insert(securityAlert)
    .values({
      id: randomUUID(),
      userId: input.userId,
      kind: input.kind,
      targetId: input.targetId,
      secretHash: sha256(secret),
      createdAt: input.now,
      expiresAt: new Date(input.now.getTime() + ALERT_LIFETIME_MS),
    })
    .returning();
  if (!row) throw new Error("inserting the security alert returned no row");
  return { secret, row };
}

/** The unused, unexpired alert a link names, to show before anything is done (a GET never acts). */
export async function findOpenAlert(db: Db, secret: string, now: Date): Promise<AlertRow | undefined> {
  const [row] = await db
    .select()
    .from(securityAlert)
    .where(
      and(eq(securityAlert.secretHash, sha256(secret)), isNull(securityAlert.usedAt), gt(securityAlert.expiresAt, now)),
    );
  return row;
}

/** Spends the alert a link names; one guarded UPDATE, so of two clicks exactly one acts. */
export async function spendAlert(db: Db, secret: string, now: Date): Promise<AlertRow | undefined> {
  const [row] = await db
    .update(securityAlert)
    .set({ usedAt: now })
    .where(
      and(eq(securityAlert.secretHash, sha256(secret)), isNull(securityAlert.usedAt), gt(securityAlert.expiresAt, now)),
    )
    .returning();
  return row;
}
