import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ApiClient, ClaudemeshError, CredentialStore, mintToken } from "@claudemesh/sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Identity } from "../src/identity.js";

const USER = { id: "u1", name: "Ada Lovelace", email: "ada@example.test" };

describe("Identity", () => {
  let configDir = "";
  beforeEach(async () => {
    configDir = await mkdtemp(join(tmpdir(), "claudemesh-identity-"));
  });
  afterEach(() => rm(configDir, { recursive: true, force: true }));

  it("a refresh asked for while a check is in flight checks again, so a sign-out's stale 401 does not stand", async () => {
    const store = new CredentialStore({ apiUrl: "http://localhost:3000", configDir, mode: "file" });
    await store.save({ token: mintToken("session"), user: USER, expiresAt: null, source: "device-code" });
    // The server answers the first whoami only when told to, and with a 401: the token was revoked meanwhile.
    let answerFirst: (() => void) | undefined;
    const firstAnswered = new Promise<void>((resolve) => {
      answerFirst = resolve;
    });
    const api = async () =>
      ({
        whoami: async () => {
          await firstAnswered;
          throw new ClaudemeshError("token_revoked", "Authentication failed (token revoked).");
        },
      }) as unknown as ApiClient;
    const identity = new Identity({ store, envToken: undefined, api });

    const inFlight = identity.refresh();
    // Sign Out: the credential is removed, then the identity is refreshed.
    await store.clear();
    const afterSignOut = identity.refresh();
    answerFirst?.();

    expect((await inFlight).kind).toBe("rejected"); // what the stale check saw
    expect((await afterSignOut).kind).toBe("signed_out");
    expect(identity.state.kind).toBe("signed_out");
    identity.dispose();
  });
});
