import { createHash } from "node:crypto";
import * as z from "zod";
import { Timestamp, User } from "../contracts/common.js";
import { lazySchema } from "../contracts/lazy-schema.js";

/** How a stored credential was obtained. */
export const CredentialSource = lazySchema(() => z.enum(["device-code", "browser", "pat"]));
export type CredentialSource = z.infer<typeof CredentialSource>;

/**
 * One server's saved login. When the OS keychain holds the token, `token` is
 * absent, `token_store` says so (later commands go straight there instead of
 * probing) and `token_fingerprint` pairs the keychain's secret with this
 * record: a secret whose fingerprint differs is somebody else's, never used.
 */
export const ServerCredential = lazySchema(() =>
  z.object({
    /** The server this credential belongs to. */
    api_url: z.string(),
    token_store: z.enum(["keychain", "file"]),
    token: z.string().optional(),
    /**
     * The first 16 hex digits of the token's SHA-256. Null only in a record an
     * older claudemesh wrote, whose keychain secret cannot be checked.
     */
    token_fingerprint: z.string().nullable(),
    token_kind: z.enum(["session", "pat"]),
    user: User,
    created_at: Timestamp,
    expires_at: Timestamp.nullable(),
    source: CredentialSource,
  }),
);
export type ServerCredential = z.infer<typeof ServerCredential>;

/**
 * `~/.claudemesh/auth.json` (version 2): one login per server origin, as gh
 * keeps hosts, so signing in to a second server neither orphans nor
 * overwrites the first.
 */
export const AuthFile = lazySchema(() =>
  z.object({
    version: z.literal(2),
    servers: z.record(z.string(), ServerCredential),
  }),
);
export type AuthFile = z.infer<typeof AuthFile>;

/** The first 16 hex digits of the token's SHA-256: enough to tell two tokens apart, nothing to sign in with. */
export function tokenFingerprint(token: string): string {
  return createHash("sha256").update(token).digest("hex").slice(0, 16);
}

/** The key a server's login is kept under: its origin. */
export function serverKey(apiUrl: string): string {
  return new URL(apiUrl).origin;
}

/**
 * Reads version 1 (one server, `{ version: 1, token?, token_store, api_url, … }`)
 * as version 2. A v1 keychain record gets no fingerprint: its secret was kept
 * under the bare origin, where another account's may stand, so it is not paired.
 */
export function migrateAuthFile(json: unknown): unknown {
  if (!isRecord(json) || json.version !== 1 || typeof json.api_url !== "string") return json;
  let key: string;
  try {
    key = serverKey(json.api_url);
  } catch {
    return json;
  }
  const { version: _version, ...record } = json;
  const fingerprint = typeof record.token === "string" ? tokenFingerprint(record.token) : null;
  return { version: 2, servers: { [key]: { ...record, token_fingerprint: fingerprint } } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
