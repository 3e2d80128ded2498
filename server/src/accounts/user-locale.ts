import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/database.js";
import { user } from "../db/schema.js";
import { isLocale, type Locale } from "../i18n/locale.js";

/** Better Auth's field for `user.locale`: set by the server at sign-up (the page's or request's language), never by the client. */
export const LOCALE_FIELD = { locale: { type: "string", required: false, input: false } } as const;

/** A stored language, if it is one the server writes in. */
export function knownLocale(value: unknown): Locale | undefined {
  return isLocale(value) ? value : undefined;
}

/** The language of the account that has this address (any case), when there is one and it is known. */
export async function accountLocale(db: Db, email: string): Promise<Locale | undefined> {
  const [row] = await db
    .select({ locale: user.locale })
    .from(user)
    .where(eq(sql`lower(${user.email})`, email.toLowerCase()))
    .limit(1);
  return knownLocale(row?.locale);
}
