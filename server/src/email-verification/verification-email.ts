import type { BetterAuthOptions } from "better-auth";
import { APIError } from "better-auth/api";
import { knownLocale } from "../accounts/user-locale.js";
import type { Db } from "../db/database.js";
import type { Mailer } from "../email/mailer.js";
import { verificationEmail } from "../email/templates.js";
import { giveBackAttempts, takeAttempt } from "../limits/attempts.js";
import { RATE_LIMITS } from "../limits/rate-limits.js";
import { safeNextPath } from "../next-path.js";
import { currentMailLocale } from "./mail-locale.js";

/** The page a verification link lands on (Better Auth redirects there, with `?error=` when the link failed). */
export const VERIFIED_PATH = "/email-verification";

/** How long a verification link works. */
const LINK_LIFETIME_SECONDS = 60 * 60;

export interface VerificationEmailDeps {
  db: Db;
  mailer: Mailer;
  publicUrl: string;
  now: () => Date;
}

/**
 * Better Auth's `emailVerification`: a link on sign-up and on request, sent
 * through our mailer (SMTP, or the outbox) in the account's language, at most
 * `verificationEmailsPerAccount` an hour per account. Signing in does not need
 * a verified address (a server without SMTP stays usable); accepting an invite
 * sent to one does.
 */
export function verificationEmailOptions(deps: VerificationEmailDeps) {
  return {
    sendOnSignUp: true,
    // A link that signed its opener in would be a sign-in sitting in email_outbox (no SMTP) for
    // its whole life: a copy of the database would be one. The opener signs in as usual instead.
    autoSignInAfterVerification: false,
    expiresIn: LINK_LIFETIME_SECONDS,
    async sendVerificationEmail({ user, url }) {
      const taken = { key: `verification-email:account:${user.id}`, limit: RATE_LIMITS.verificationEmailsPerAccount };
      if (!(await takeAttempt(deps.db, taken.key, taken.limit, deps.now()))) {
        throw new APIError("TOO_MANY_REQUESTS", {
          code: "RATE_LIMITED",
          message: "Too many verification emails for this account in the last hour. Wait an hour and try again.",
        });
      }
      const email = verificationEmail({
        to: user.email,
        // The account's own language; the request's for one made before languages were kept.
        locale: knownLocale((user as { locale?: unknown }).locale) ?? currentMailLocale(),
        url: verificationLink(deps.publicUrl, url),
      });
      if ((await deps.mailer.deliver(email)) === "failed") {
        // Nothing reached the inbox, so the attempt is not spent.
        await giveBackAttempts(deps.db, [taken], deps.now());
        throw new APIError("SERVICE_UNAVAILABLE", {
          code: "EMAIL_NOT_SENT",
          message: "The verification email could not be sent. Try again in a few minutes.",
        });
      }
    },
  } satisfies BetterAuthOptions["emailVerification"];
}

/**
 * The link the email carries: Better Auth's token, returning to our own
 * page (with a `next` on this site) whatever callbackURL the request named,
 * so nobody's text rides along in the email.
 */
export function verificationLink(publicUrl: string, betterAuthUrl: string): string {
  const given = new URL(betterAuthUrl);
  const callback = new URL(given.searchParams.get("callbackURL") ?? "/", "http://claudemesh.invalid");
  const next = callback.pathname === VERIFIED_PATH ? callback.searchParams.get("next") : null;
  const link = new URL("/api/auth/verify-email", publicUrl);
  link.searchParams.set("token", given.searchParams.get("token") ?? "");
  link.searchParams.set(
    "callbackURL",
    next ? `${VERIFIED_PATH}?next=${encodeURIComponent(safeNextPath(next))}` : VERIFIED_PATH,
  );
  return link.toString();
}
