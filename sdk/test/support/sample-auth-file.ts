import type { AuthFile, ServerCredential } from "../../src/credentials/auth-file.js";
import { tokenFingerprint } from "../../src/credentials/auth-file.js";
import { mintToken } from "../../src/token.js";

/** The server every sample login is for. */
export const SAMPLE_SERVER = "http://localhost:3000";

/** A valid login whose every field says which version it is; large, so a torn write would show. */
export function sampleLogin(version: string, overrides: Partial<ServerCredential> = {}): ServerCredential {
  const token = mintToken("session");
  return {
    api_url: SAMPLE_SERVER,
    token_store: "file",
    token,
    token_fingerprint: tokenFingerprint(token),
    token_kind: "session",
    user: { id: `user-${version}`, name: `${version} `.repeat(20_000), email: `${version.toLowerCase()}@example.test` },
    created_at: "2026-01-01T00:00:00.000Z",
    expires_at: null,
    source: "device-code",
    ...overrides,
  };
}

/** A valid auth.json holding one sample login for SAMPLE_SERVER. */
export function sampleAuthFile(version: string, overrides: Partial<ServerCredential> = {}): AuthFile {
  return { version: 2, servers: { [SAMPLE_SERVER]: sampleLogin(version, overrides) } };
}
