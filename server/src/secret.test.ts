import { statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadOrCreateSecret } from "./secret.js";

describe("loadOrCreateSecret", () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = join(await mkdtemp(join(tmpdir(), "claudemesh-secret-")), "data");
  });
  afterEach(() => rm(join(dataDir, ".."), { recursive: true, force: true }));

  it("uses BETTER_AUTH_SECRET when it is set and writes nothing", async () => {
    const source = await loadOrCreateSecret("s".repeat(40), dataDir);
    expect(source).toEqual({ secret: "s".repeat(40) });
    expect(() => statSync(dataDir)).toThrow();
  });

  it("generates one secret for many concurrent starts and keeps it private", async () => {
    const sources = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateSecret(undefined, dataDir)));
    const secrets = new Set(sources.map((source) => source.secret));
    expect(secrets.size).toBe(1);
    const [secret] = [...secrets];
    expect(secret?.length).toBeGreaterThanOrEqual(32);
    const file = sources[0]?.file ?? "";
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect((await loadOrCreateSecret(undefined, dataDir)).secret).toBe(secret);
  });
});
