import { spawn } from "node:child_process";
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SAMPLE_SERVER, sampleAuthFile } from "../../test/support/sample-auth-file.js";
import { englishNotice } from "../errors.js";
import { AuthFileStore } from "./file-store.js";

const WRITER_SOURCE = fileURLToPath(new URL("../../test/support/auth-file-writer.ts", import.meta.url));

describe("AuthFileStore", () => {
  // The writer child is bundled once, so each of its many starts takes milliseconds.
  let writerBundle: string;
  beforeAll(async () => {
    writerBundle = join(await mkdtemp(join(tmpdir(), "claudemesh-writer-")), "writer.mjs");
    await build({ entryPoints: [WRITER_SOURCE], outfile: writerBundle, bundle: true, platform: "node", format: "esm" });
  });

  let root: string;
  let configDir: string;
  let warnings: string[];
  let store: AuthFileStore;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "claudemesh-auth-"));
    configDir = join(root, ".claudemesh");
    warnings = [];
    store = new AuthFileStore({ configDir, onNotice: (notice) => warnings.push(englishNotice(notice)) });
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

  it("writes the folder 0700 and the file 0600, and reads back what it wrote", async () => {
    const file = sampleAuthFile("A");
    await store.write(file);
    expect(await modeOf(configDir)).toBe(0o700);
    expect(await modeOf(store.path)).toBe(0o600);
    expect(await store.read()).toEqual(file);
    expect(warnings).toEqual([]);
  });

  it("reads nothing when signed out, and remove() says whether there was a file", async () => {
    expect(await store.read()).toBeNull();
    expect(await store.remove()).toBe(false);
    await store.write(sampleAuthFile("A"));
    expect(await store.remove()).toBe(true);
    expect(await store.read()).toBeNull();
  });

  it("reads a name an older server saved with escape sequences and bidi overrides as neutral text", async () => {
    const file = sampleAuthFile("A", {
      user: { id: "u1", name: "\u001b]0;owned\u0007Ada\r✔ fake\u202e", email: "ada\u001b[2J@example.test" },
    });
    await mkdir(configDir, { recursive: true, mode: 0o700 });
    await writeFile(store.path, JSON.stringify(file), { mode: 0o600 });
    expect((await store.read())?.servers[SAMPLE_SERVER]?.user).toEqual({
      id: "u1",
      name: "]0;ownedAda✔ fake",
      email: "ada[2J@example.test",
    });
  });

  it("narrows a folder or file others can read, and says so", async () => {
    await store.write(sampleAuthFile("A"));
    await chmod(store.path, 0o644);
    await chmod(configDir, 0o755);
    await store.read();
    expect(await modeOf(store.path)).toBe(0o600);
    await store.write(sampleAuthFile("B"));
    expect(await modeOf(configDir)).toBe(0o700);
    expect(warnings).toEqual([
      expect.stringMatching(/auth\.json was readable by others \(644\); changed it to 600/),
      expect.stringMatching(/\.claudemesh was readable by others \(755\); changed it to 700/),
    ]);
  });

  it.each([
    ["not JSON", "{ nope"],
    ["the wrong shape", JSON.stringify({ version: 1, token: 5 })],
    ["a future version", JSON.stringify({ ...sampleAuthFile("A"), version: 3 })],
  ])("a file that is %s is auth_file_corrupted (exit 2) and left in place", async (_label, content) => {
    await mkdir(configDir, { recursive: true, mode: 0o700 });
    await writeFile(store.path, content, { mode: 0o600 });
    await expect(store.read()).rejects.toMatchObject({ code: "auth_file_corrupted", exitStatus: 2 });
    expect(await readFile(store.path, "utf8")).toBe(content);
  });

  it("a writer killed mid-write leaves the old file or the new one, never a torn one", async () => {
    const versions = new Map([
      ["user-A", "A"],
      ["user-B", "B"],
    ]);
    let seen = false;
    for (let round = 0; round < 20; round += 1) {
      const writer = spawn(process.execPath, [writerBundle, configDir], { stdio: ["ignore", "pipe", "inherit"] });
      await new Promise<void>((resolve) => writer.stdout?.once("data", () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 120));
      writer.kill("SIGKILL");
      await new Promise((resolve) => writer.once("exit", resolve));

      const file = await store.read();
      // Killed before any writer's first rename (a busy machine may take several rounds): nothing yet.
      if (file === null) {
        expect(seen).toBe(false);
        continue;
      }
      seen = true;
      const user = file?.servers[SAMPLE_SERVER]?.user;
      const version = versions.get(user?.id ?? "");
      expect(version).toBeDefined();
      expect(user?.name).toBe(`${version} `.repeat(20_000));
    }
    expect(seen).toBe(true);
    // Only temp files and the lock of killed writers may remain beside it, never a partial auth.json.
    const names = await readdir(configDir);
    expect(names.filter((name) => !name.endsWith(".tmp") && name !== "auth.json.lock")).toEqual(["auth.json"]);
  });
});
