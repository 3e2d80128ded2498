import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalConfigStore } from "./local-config.js";

describe("LocalConfigStore", () => {
  let dir = "";
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "claudemesh-config-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("starts empty and writes a private file", async () => {
    const store = new LocalConfigStore({ configDir: join(dir, "cm") });
    expect(await store.read()).toEqual({ version: 1, meshes: [] });
    await store.update((config) => ({
      ...config,
      telemetry: { enabled: false, install_id: "abcdefgh", notice_shown: true },
    }));
    expect((await stat(store.path)).mode & 0o777).toBe(0o600);
    expect((await stat(store.dir)).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await readFile(store.path, "utf8")).telemetry.enabled).toBe(false);
  });

  it("creates one install id and keeps it", async () => {
    const store = new LocalConfigStore({ configDir: dir });
    const first = await store.telemetry();
    expect(first.install_id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await store.telemetry()).install_id).toBe(first.install_id);
  });

  it("reads mesh names an older version saved raw as neutral text", async () => {
    const store = new LocalConfigStore({ configDir: dir });
    const mesh = {
      id: "m1",
      slug: "evil\u001b]0;owned\u0007",
      name: "\u001b]52;c;cm0gLXJm\u0007Platform\r✔ team\u202e",
      role: "member",
      api_url: "http://127.0.0.1:9",
      joined_at: "2026-01-01T00:00:00.000Z",
      display_name: "ada\u009b31m",
      launch_role: "rev\u2066iewer",
    };
    await writeFile(store.path, JSON.stringify({ version: 1, meshes: [mesh] }));
    expect((await store.read()).meshes[0]).toMatchObject({
      slug: "evil]0;owned",
      name: "]52;c;cm0gLXJmPlatform✔ team",
      display_name: "ada31m",
      launch_role: "reviewer",
    });
  });

  it("reports a corrupt file instead of replacing it", async () => {
    const store = new LocalConfigStore({ configDir: dir });
    await writeFile(store.path, "{ nope");
    await expect(store.read()).rejects.toThrow(/not valid JSON/);
    await expect(store.update((config) => config)).rejects.toThrow(/not valid JSON/);
    expect(await readFile(store.path, "utf8")).toBe("{ nope");
  });
});
