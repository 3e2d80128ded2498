import { AsyncLocalStorage } from "node:async_hooks";
import { inspect } from "node:util";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { isAPIError } from "better-auth/api";
import { hashedSessionTokens } from "./accounts/hashed-session-tokens.js";
import { endSessionsAfterPasswordChange } from "./accounts/password-change.js";
import { LOCALE_FIELD } from "./accounts/user-locale.js";
import { checkedUserName } from "./accounts/user-name.js";
import type { Db } from "./db/database.js";
import * as schema from "./db/schema.js";
import { isDatabaseUnavailable } from "./db/unavailable.js";
import type { Mailer } from "./email/mailer.js";
import { currentMailLocale } from "./email-verification/mail-locale.js";
import { verificationEmailOptions } from "./email-verification/verification-email.js";
import { log } from "./log.js";
import { passwordResetOptions } from "./password-reset/password-reset.js";
import { CLIENT_ADDRESS_HEADER } from "./request-info.js";
import { securityNotices } from "./security-alerts/security-notices.js";
import { stepUpSessionOptions } from "./step-up/freshness.js";
import { secondFactorPlugins } from "./step-up/second-factors.js";

export interface AuthConfig {
  db: Db;
  /** Signs cookies and tokens; at least 32 characters. */
  secret: string;
  /** Where browsers reach the server, e.g. `http://localhost:3000`; also the trusted origin. */
  publicUrl: string;
  /** Sends the verification emails. */
  mailer: Mailer;
  now?: () => Date;
}

/** Better Auth's error code for a failed `auth.api` call (`INVALID_PASSWORD`, …), if it is one of its own errors. */
export function betterAuthErrorCode(error: unknown): string | undefined {
  if (!isAPIError(error)) return undefined;
  const body = error.body as { code?: unknown } | undefined;
  return typeof body?.code === "string" ? body.code : undefined;
}

/** The secret Better Auth signs cookies with, for the few other things the server seals (pages/one-time-flash.ts). */
export function serverSecret(auth: Auth): string {
  const { secret } = auth.options;
  if (!secret) throw new Error("Better Auth was created without a secret");
  return secret;
}

/** The errors Better Auth logged while handling the current request (it turns some into its own 500s). */
const caughtErrors = new AsyncLocalStorage<unknown[]>();

/**
 * Runs Better Auth's handler and hands back, beside its answer, the errors it
 * caught on the way, so the caller can tell a lost database from a bug.
 */
export async function handleAuthRequest(
  auth: Auth,
  request: Request,
): Promise<{ response: Response; errors: unknown[] }> {
  const errors: unknown[] = [];
  const response = await caughtErrors.run(errors, () => auth.handler(request));
  return { response, errors };
}

/**
 * Better Auth: users, email + password, and web session cookies, on our drizzle
 * schema. A password change or reset ends every other session, browser and CLI,
 * and recent PATs (accounts/password-change.ts), and is emailed to the account.
 * Sign-up signs nobody in, so it answers alike for a free and a taken address.
 */
export function createAuth({ db, secret, publicUrl, mailer, now = () => new Date() }: AuthConfig) {
  // Step-up (step-up/): when a session last proved who it is, and the second factors that can prove it.
  const stepUp = stepUpSessionOptions({ db, now });
  const notices = securityNotices({ db, mailer, publicUrl });
  return betterAuth({
    appName: "claudemesh",
    baseURL: publicUrl,
    basePath: "/api/auth",
    secret,
    trustedOrigins: [publicUrl],
    database: hashedSessionTokens(drizzleAdapter(db, { provider: "pg", schema })),
    emailAndPassword: {
      enabled: true,
      autoSignIn: false,
      minPasswordLength: 8,
      // The answer to a taken address is made up, and the user hook below does not run for it: it checks
      // the name and sets the locale as that hook does, or a refused name or a null locale would tell that
      // the address has an account.
      customSyntheticUser: ({ coreFields, additionalFields, id }) => ({
        ...coreFields,
        ...additionalFields,
        ...checkedUserName(coreFields.name),
        locale: currentMailLocale(),
        id,
      }),
      ...passwordResetOptions({ db, mailer, publicUrl, notices, now }),
    },
    emailVerification: verificationEmailOptions({ db, mailer, publicUrl, now }),
    user: { additionalFields: LOCALE_FIELD },
    session: stepUp.session,
    plugins: secondFactorPlugins(publicUrl),
    databaseHooks: {
      session: stepUp.sessionHooks,
      user: {
        // The account keeps the language it was made in (the register page's, or the JSON sign-up's
        // Accept-Language), so later emails to it are written in that language.
        create: {
          before: async (user) => ({
            data: { ...user, ...checkedUserName(user.name), locale: currentMailLocale() },
          }),
        },
        update: { before: async (user) => ({ data: { ...user, ...checkedUserName(user.name) } }) },
      },
      account: {
        update: {
          // change-password, set-password and reset-password update the credential account; the session that did it stays.
          after: async (account, context) => {
            if (account.providerId !== "credential" || !account.password) return;
            const keepWebSession = context?.context.session?.session.id ?? null;
            const at = now();
            await endSessionsAfterPasswordChange(db, { userId: account.userId, keepWebSession, now: at });
            const headers = context?.headers ?? context?.request?.headers;
            const request = {
              ipAddress: headers?.get(CLIENT_ADDRESS_HEADER) ?? null,
              userAgent: headers?.get("user-agent") ?? null,
            };
            await notices.passwordChanged(account.userId, request, at);
          },
        },
      },
    },
    // Its own limiter counts in process memory and, behind @hono/node-server, sees
    // no client IP (one bucket for everyone); ours is in the database (rate-limit.ts).
    rateLimit: { enabled: false },
    // Better Auth answers what it caught as a 500 and logs it; the errors it logs are
    // handed to `handleAuthRequest`, so a lost database becomes a 503 there, logged in one line.
    logger: {
      log: (level, message, ...args) => {
        caughtErrors.getStore()?.push(...args);
        if (args.some(isDatabaseUnavailable)) return;
        // Its messages and errors may quote a request (an email, a header): one escaped line.
        const text = [message, ...args.map((arg) => (typeof arg === "string" ? arg : inspect(arg)))].join(" ");
        (level === "error" ? log.error : level === "warn" ? log.warn : log.info)(`auth: ${text}`);
      },
    },
    // Errors that are not its own APIErrors reach our error handler (a 503 for a lost
    // database, a logged 500 otherwise) instead of a bare 500 and a stack on stderr.
    onAPIError: { throw: true },
    // Sessions record the address our middleware resolved, not one a client claims (client-address.ts),
    // whole: the security page shows it to the person, who knows their address, not their /64.
    advanced: { ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER], ipv6Subnet: 128 } },
    // A self-hosted server reaches no one it was not asked to.
    telemetry: { enabled: false },
  });
}

export type Auth = ReturnType<typeof createAuth>;
