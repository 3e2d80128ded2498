import { AsyncLocalStorage } from "node:async_hooks";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import type { Db } from "./db/database.js";
import * as schema from "./db/schema.js";
import { isDatabaseUnavailable } from "./db/unavailable.js";
import type { Mailer } from "./email/mailer.js";
import { verificationEmailOptions } from "./email-verification/verification-email.js";
import { revokeAllSessions } from "./tokens/token-store.js";

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
 * schema. A password change or reset revokes the user's CLI session tokens
 * (not their PATs, which they manage by hand).
 */
export function createAuth({ db, secret, publicUrl, mailer, now = () => new Date() }: AuthConfig) {
  const revokeCliSessions = async (userId: string) => {
    await revokeAllSessions(db, userId, now());
  };
  return betterAuth({
    appName: "claudemesh",
    baseURL: publicUrl,
    basePath: "/api/auth",
    secret,
    trustedOrigins: [publicUrl],
    database: drizzleAdapter(db, { provider: "pg", schema }),
    emailAndPassword: {
      enabled: true,
      autoSignIn: true,
      minPasswordLength: 8,
      onPasswordReset: ({ user }) => revokeCliSessions(user.id),
    },
    emailVerification: verificationEmailOptions({ db, mailer, publicUrl, now }),
    databaseHooks: {
      account: {
        update: {
          // change-password and set-password update the credential account.
          after: async (account) => {
            if (account.providerId === "credential" && account.password) await revokeCliSessions(account.userId);
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
        (level === "error" ? console.error : level === "warn" ? console.warn : console.log)(
          `[claudemesh] auth: ${message}`,
          ...args,
        );
      },
    },
    // Errors that are not its own APIErrors reach our error handler (a 503 for a lost
    // database, a logged 500 otherwise) instead of a bare 500 and a stack on stderr.
    onAPIError: { throw: true },
    // A self-hosted server reaches no one it was not asked to.
    telemetry: { enabled: false },
  });
}

export type Auth = ReturnType<typeof createAuth>;
