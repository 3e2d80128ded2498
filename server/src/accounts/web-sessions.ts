import { and, desc, eq, gt, ne } from "drizzle-orm";
import { recordAudit } from "../audit.js";
import type { Db } from "../db/database.js";
import { session } from "../db/schema.js";
import type { RequestInfo } from "../request-info.js";

export type WebSessionRow = Pick<
  typeof session.$inferSelect,
  "id" | "ipAddress" | "userAgent" | "createdAt" | "updatedAt" | "expiresAt"
>;

/**
 * The user's live browser sessions (Better Auth's `session` rows), most
 * recently active first. `updatedAt` is when Better Auth last renewed it.
 */
export function listWebSessions(db: Db, userId: string, now: Date): Promise<WebSessionRow[]> {
  return db
    .select({
      id: session.id,
      ipAddress: session.ipAddress,
      userAgent: session.userAgent,
      createdAt: session.createdAt,
      updatedAt: session.updatedAt,
      expiresAt: session.expiresAt,
    })
    .from(session)
    .where(and(eq(session.userId, userId), gt(session.expiresAt, now)))
    .orderBy(desc(session.updatedAt));
}

/** Which of a user's browser sessions to end: one by id, one by its stored (hashed) token, or all but one. */
export type WebSessionSelector = { id: string } | { storedToken: string } | { allBut: string };

/**
 * Ends browser sessions of `userId`. Better Auth reads the row on every
 * request, so the browser is signed out at once. One audit row per session
 * ended; how many were.
 */
export async function endWebSessions(
  db: Db,
  input: { userId: string; which: WebSessionSelector; request: RequestInfo; now: Date },
): Promise<number> {
  const which =
    "id" in input.which
      ? eq(session.id, input.which.id)
      : "storedToken" in input.which
        ? eq(session.token, input.which.storedToken)
        : ne(session.id, input.which.allBut);
  return db.transaction(async (tx) => {
    const ended = await tx
      .delete(session)
      .where(and(eq(session.userId, input.userId), which))
      .returning({ id: session.id });
    for (const { id } of ended) {
      await recordAudit(tx, {
        action: "auth.web.session.revoked",
        userId: input.userId,
        targetId: id,
        request: input.request,
        metadata: { others: "allBut" in input.which },
        at: input.now,
      });
    }
    return ended.length;
  });
}
