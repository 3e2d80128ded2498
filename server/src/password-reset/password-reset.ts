import type { BetterAuthOptions } from "better-auth";
import { eq } from "drizzle-orm";
import { endSessionsAfterPasswordChange } from "../accounts/password-change.js";
import { knownLocale } from "../accounts/user-locale.js";
import { recordAudit } from "../audit.js";
import type { Db } from "../db/database.js";
import { user } from "../db/schema.js";
import type { Mailer } from "../email/mailer.js";
import { existingAccountEmail, passwordResetEmail } from "../email/templates.js";
import { currentMailLocale } from "../email-verification/mail-locale.js";
import { addressKey } from "../limits/address-key.js";
import { takeAttempt, takeAttempts } from "../limits/attempts.js";
import { RATE_LIMITS } from "../limits/rate-limits.js";
import { CLIENT_ADDRESS_HEADER } from "../request-info.js";
import type { SecurityNotices } from "../security-alerts/security-notices.js";

/** The page a reset link opens; it posts the new password to Better Auth's `/reset-password`. */
export const RESET_PASSWORD_PATH = "/reset-password";
export const FORGOT_PASSWORD_PATH = "/forgot-password";

/** How long a reset link works. */
const RESET_LINK_LIFETIME_SECONDS = 60 * 60;

export interface PasswordResetDeps {
  db: Db;
  mailer: Mailer;
  publicUrl: string;
  notices: SecurityNotices;
  now: () => Date;
}

/**
 * Counts one reset request for `email` from `ip` before Better Auth looks the
 * address up, so the limit says nothing about whether it has an account. False
 * when either is spent.
 */
export async function takePasswordResetAttempt(
  db: Db,
  input: { email: string; ip: string | null; now: Date },
): Promise<boolean> {
  const taken = await takeAttempts(
    db,
    [
      {
        key: `password-reset:recipient:${input.email.trim().toLowerCase()}`,
        limit: RATE_LIMITS.passwordResetsPerRecipient,
      },
      { key: `password-reset:address:${addressKey(input.ip)}`, limit: RATE_LIMITS.passwordResetsPerAddress },
    ],
    input.now,
  );
  return taken !== null;
}

/**
 * Better Auth's reset flow through our mailer, in the account's language; the
 * link opens our own page (never a callback a request named). A reset proves
 * the mailbox: an account whose address was never verified was made by
 * someone who does not hold it, so it passes to the mailbox's owner: verified,
 * and every PAT of the one who made it ends, not only recent ones.
 */
export function passwordResetOptions(deps: PasswordResetDeps) {
  return {
    resetPasswordTokenExpiresIn: RESET_LINK_LIFETIME_SECONDS,
    async sendResetPassword({ user: owner, token }) {
      const url = new URL(RESET_PASSWORD_PATH, deps.publicUrl);
      url.searchParams.set("token", token);
      await deps.mailer.deliver(
        passwordResetEmail({
          to: owner.email,
          locale: knownLocale((owner as { locale?: unknown }).locale) ?? currentMailLocale(),
          url: url.toString(),
        }),
      );
    },
    // Better Auth's reset writes the password without the account hooks that end sessions on a change.
    async onPasswordReset({ user: owner }, request) {
      const now = deps.now();
      const reclaimed = !owner.emailVerified;
      if (reclaimed) {
        await deps.db.update(user).set({ emailVerified: true, updatedAt: now }).where(eq(user.id, owner.id));
        await recordAudit(deps.db, { action: "auth.account.reclaimed", userId: owner.id, at: now });
      }
      await endSessionsAfterPasswordChange(deps.db, {
        userId: owner.id,
        keepWebSession: null,
        allPats: reclaimed,
        now,
      });
      const from = {
        ipAddress: request?.headers.get(CLIENT_ADDRESS_HEADER) ?? null,
        userAgent: request?.headers.get("user-agent") ?? null,
      };
      await deps.notices.passwordChanged(owner.id, from, now);
    },
    // Sign-up answers alike whether the address is free or taken; its owner hears of the attempt here.
    async onExistingUserSignUp({ user: owner }) {
      const key = `existing-account-email:recipient:${owner.email.toLowerCase()}`;
      if (!(await takeAttempt(deps.db, key, RATE_LIMITS.existingAccountEmailsPerRecipient, deps.now()))) return;
      const signIn = new URL("/login", deps.publicUrl);
      const reset = new URL(FORGOT_PASSWORD_PATH, deps.publicUrl);
      await deps.mailer.deliver(
        existingAccountEmail({
          to: owner.email,
          locale: knownLocale((owner as { locale?: unknown }).locale) ?? currentMailLocale(),
          signInUrl: signIn.toString(),
          resetUrl: reset.toString(),
        }),
      );
    },
  } satisfies Partial<NonNullable<BetterAuthOptions["emailAndPassword"]>>;
}
