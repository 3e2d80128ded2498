import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import type { Db } from "./db/database.js";
import * as schema from "./db/schema.js";

export interface AuthConfig {
  db: Db;
  /** Signs cookies and tokens; at least 32 characters. */
  secret: string;
  /** Where browsers reach the server, e.g. `http://localhost:3000`; also the trusted origin. */
  publicUrl: string;
}

/** Better Auth: users, email + password, and web session cookies, on our drizzle schema. */
export function createAuth({ db, secret, publicUrl }: AuthConfig) {
  return betterAuth({
    appName: "claudemesh",
    baseURL: publicUrl,
    basePath: "/api/auth",
    secret,
    trustedOrigins: [publicUrl],
    database: drizzleAdapter(db, { provider: "pg", schema }),
    emailAndPassword: { enabled: true, autoSignIn: true, minPasswordLength: 8 },
    // A self-hosted server reaches no one it was not asked to.
    telemetry: { enabled: false },
  });
}

export type Auth = ReturnType<typeof createAuth>;
