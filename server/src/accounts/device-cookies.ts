import { hkdfSync, randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { Context } from "hono";
import { generateSignedCookie, getCookie, getSignedCookie } from "hono/cookie";
import type { Db } from "../db/database.js";
import { user } from "../db/schema.js";
import { sha256 } from "../hash.js";

/** A browser that signed in to this account before, by the device cookie it was given then. */
export interface TrustedDevice {
  /** Names the device's own password counter; the cookie's nonce, hashed. */
  key: string;
}

/** Long-lived, as OWASP's device cookies are: it outlives sessions so the owner's browser is known after signing out. */
const LIFETIME_SECONDS = 365 * 24 * 60 * 60;

/**
 * Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device
 * Cookies"): a successful sign-in gives the browser a cookie signed with a key
 * derived from the server's secret, binding the account's user id to a random
 * nonce. A password attempt that carries one for the account it names is
 * counted on that cookie alone, not on the account's back-off, so attackers
 * who keep the account's untrusted door shut do not shut its owner out.
 * One cookie per account (its name carries a hash of the user id), so a
 * browser shared by two people keeps both.
 */
export function deviceCookies({ db, secret, secure }: { db: Db; secret: string; secure: boolean }) {
  const key = Buffer.from(hkdfSync("sha256", secret, "", "claudemesh device cookie", 32));
  const prefix = `${secure ? "__Secure-" : ""}claudemesh_device_`;
  const cookieName = (userId: string) => `${prefix}${sha256(userId).slice(0, 16)}`;

  async function userIdOf(email: string): Promise<string | undefined> {
    const [row] = await db
      .select({ id: user.id })
      .from(user)
      .where(eq(sql`lower(${user.email})`, email.trim().toLowerCase()))
      .limit(1);
    return row?.id;
  }

  return {
    /** The device this request's cookies prove for `email`'s account, or null (none, forged, another account's). */
    async trusted(c: Context, email: string): Promise<TrustedDevice | null> {
      // Most guesses carry no device cookie at all: they cost no lookup.
      if (!Object.keys(getCookie(c)).some((name) => name.startsWith(prefix))) return null;
      const userId = await userIdOf(email);
      if (!userId) return null;
      const value = await getSignedCookie(c, key, cookieName(userId));
      if (!value) return null;
      const [owner, nonce] = value.split("|");
      // The signature covers the user id: a cookie renamed from another account fails here.
      return owner === userId && nonce ? { key: `${userId}|${sha256(nonce)}` } : null;
    },

    /** A Set-Cookie line for a browser that has just signed in to `email`'s account. */
    async issue(email: string): Promise<string | null> {
      const userId = await userIdOf(email);
      if (!userId) return null;
      return generateSignedCookie(cookieName(userId), `${userId}|${randomBytes(16).toString("base64url")}`, key, {
        path: "/",
        httpOnly: true,
        secure,
        sameSite: "Lax",
        maxAge: LIFETIME_SECONDS,
      });
    },
  };
}

export type DeviceCookies = ReturnType<typeof deviceCookies>;
