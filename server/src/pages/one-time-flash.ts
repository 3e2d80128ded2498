import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";

/** A secret shown once, on the page a form post redirects to: a new token, or a new invite link. */
export interface OneTimeFlash {
  kind: "token" | "invite";
  /** What it is called on the page (the token's name, the mesh's slug). */
  name: string;
  value: string;
}

const COOKIE = "claudemesh_flash";
/** Long enough for the redirect to be followed, short enough that a forgotten one is gone. */
const LIFETIME_SECONDS = 120;
/** Every dashboard page that shows a secret once lives below this path. */
const PATH = "/dashboard";

/**
 * Post/redirect/get for secrets: the form post puts the new secret in a
 * short-lived cookie, encrypted and authenticated with a key derived from the
 * server's secret (so no raw token is ever written to the database, and the
 * cookie says nothing to whoever sees it), and the page it redirects to takes
 * it out, once. A reload shows the list, never a second token.
 */
export function oneTimeFlash(serverSecret: string, secureCookies: boolean) {
  const key = Buffer.from(hkdfSync("sha256", serverSecret, "", "claudemesh one-time flash", 32));

  return {
    put(c: Context, flash: OneTimeFlash, now: Date): void {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const plain = JSON.stringify({ ...flash, until: now.getTime() + LIFETIME_SECONDS * 1000 });
      const sealed = Buffer.concat([iv, cipher.update(plain, "utf8"), cipher.final(), cipher.getAuthTag()]);
      setCookie(c, COOKIE, sealed.toString("base64url"), {
        path: PATH,
        httpOnly: true,
        sameSite: "Strict",
        secure: secureCookies,
        maxAge: LIFETIME_SECONDS,
      });
    },

    /** The flash this request carries, if any, and whole; it is gone from the browser after this answer. */
    take(c: Context, now: Date): OneTimeFlash | undefined {
      const sealed = getCookie(c, COOKIE);
      if (sealed === undefined) return undefined;
      deleteCookie(c, COOKIE, { path: PATH, secure: secureCookies });
      try {
        const bytes = Buffer.from(sealed, "base64url");
        const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, 12));
        decipher.setAuthTag(bytes.subarray(bytes.length - 16));
        const plain = Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]);
        const flash = JSON.parse(plain.toString("utf8")) as OneTimeFlash & { until: number };
        if (flash.until <= now.getTime()) return undefined;
        return { kind: flash.kind, name: flash.name, value: flash.value };
      } catch {
        // Tampered with, cut short, or sealed by another server's secret: as if there were none.
        return undefined;
      }
    },
  };
}

export type OneTimeFlashes = ReturnType<typeof oneTimeFlash>;
