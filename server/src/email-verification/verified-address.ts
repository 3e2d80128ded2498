import { eq } from "drizzle-orm";
import type { Db } from "../db/database.js";
import { user } from "../db/schema.js";

/** Whether the account has proved it owns its email address (read now, not from a session's copy). */
export async function isAddressVerified(db: Db, userId: string): Promise<boolean> {
  const [found] = await db.select({ verified: user.emailVerified }).from(user).where(eq(user.id, userId));
  return found?.verified === true;
}
