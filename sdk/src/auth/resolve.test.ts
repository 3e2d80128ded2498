import { describe, expect, it } from "vitest";
import type { StoredCredential } from "../credentials/credential-store.js";
import { mintToken } from "../token.js";
import { resolveCredential } from "./resolve.js";

const stored = (token: string): { load(): Promise<StoredCredential | null> } => ({
  load: async () => ({ token, store: "keychain", record: {} as StoredCredential["record"] }),
});
const empty = { load: async () => null };

describe("resolveCredential", () => {
  const [flag, env, kept] = [mintToken("pat"), mintToken("pat"), mintToken("session")];

  it("--token beats CLAUDEMESH_TOKEN beats the store", async () => {
    expect(await resolveCredential({ flag, envToken: env, store: stored(kept) })).toEqual({
      token: flag,
      source: "flag",
    });
    expect(await resolveCredential({ envToken: env, store: stored(kept) })).toEqual({ token: env, source: "env" });
    expect(await resolveCredential({ store: stored(kept) })).toMatchObject({ token: kept, source: "keychain" });
  });

  it("is null with no credential anywhere", async () => {
    expect(await resolveCredential({ store: empty })).toBeNull();
  });

  it("a malformed --token fails before any request, naming the expected shape", async () => {
    await expect(resolveCredential({ flag: "cm_pat_123", store: empty })).rejects.toMatchObject({
      code: "invalid_token_format",
      exitStatus: 1,
      message: "Invalid token format (expected cm_pat_… or cm_session_…)",
    });
  });

  it("a malformed CLAUDEMESH_TOKEN says where it came from", async () => {
    await expect(resolveCredential({ envToken: "oops", store: empty })).rejects.toThrow(
      /^CLAUDEMESH_TOKEN: Invalid token format/,
    );
  });
});
