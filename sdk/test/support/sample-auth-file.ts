import type { AuthFile } from "../../src/credentials/auth-file.js";
import { mintToken } from "../../src/token.js";

/** A valid auth.json whose every field says which version it is; large, so a torn write would show. */
export function sampleAuthFile(version: string, overrides: Partial<AuthFile> = {}): AuthFile {
  return {
    version: 1,
    token: mintToken("session"),
    token_store: "file",
    token_kind: "session",
    api_url: "http://localhost:3000",
    user: { id: `user-${version}`, name: `${version} `.repeat(20_000), email: `${version.toLowerCase()}@example.test` },
    created_at: "2026-01-01T00:00:00.000Z",
    expires_at: null,
    source: "device-code",
    ...overrides,
  };
}
