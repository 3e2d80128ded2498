import { execFileSync, spawn } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import {
  chmod,
  chown,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { englishNotice } from "../errors.js";
import { PrivateJsonFile, type PrivateJsonFileOptions } from "./private-json-file.js";

const UPDATER_SOURCE = fileURLToPath(new URL("../../test/support/json-file-updater.ts", import.meta.url));

const Settings = z.object({
  version: z.literal(2),
  name: z.string(),
  tags: z.array(z.string()).default([]),
});
type Settings = z.infer<typeof Settings>;

let root = "";
let dir = "";
let path = "";
let warnings: string[] = [];
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "claudemesh-json-file-"));
  dir = join(root, ".claudemesh");
  path = join(dir, "settings.json");
  warnings = [];
});
afterEach(() => rm(root, { recursive: true, force: true }));

const fileWith = (options: Partial<PrivateJsonFileOptions<Settings>> = {}) =>
  new PrivateJsonFile<Settings>({
    path,
    schema: Settings,
    onNotice: (notice) => warnings.push(englishNotice(notice)),
    corrupt: { code: "auth_file_corrupted" },
    ...options,
  });
const modeOf = async (target: string) => (await stat(target)).mode & 0o777;
/** Puts `content` at the file's path as another program would. */
async function place(content: string, mode = 0o600): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(path, content, { mode });
}

describe("PrivateJsonFile.read", () => {
  it("reads null when neither the file nor its folder exists", async () => {
    expect(await fileWith().read()).toBeNull();
  });

  it("reads back what write wrote, defaults filled in, 0600 in a 0700 folder", async () => {
    const file = fileWith();
    await file.write({ version: 2, name: "ada" } as Settings);
    expect(await file.read()).toEqual({ version: 2, name: "ada", tags: [] });
    expect(await modeOf(path)).toBe(0o600);
    expect(await modeOf(dir)).toBe(0o700);
    expect(warnings).toEqual([]);
  });

  it("neutralises control and bidi characters a server once sent before validating", async () => {
    await place(JSON.stringify({ version: 2, name: "\u001b]0;owned\u0007Ada\r✔\u202e", tags: ["a\u2066b"] }));
    expect(await fileWith().read()).toEqual({ version: 2, name: "]0;ownedAda✔", tags: ["ab"] });
  });

  it("narrows a file others can read, and says so", async () => {
    await place(JSON.stringify({ version: 2, name: "ada" }), 0o644);
    await fileWith().read();
    expect(await modeOf(path)).toBe(0o600);
    expect(warnings).toEqual([`${path} was readable by others (644); changed it to 600.`]);
  });

  it("a file that is not JSON throws the corrupt code and is left in place", async () => {
    await place("{ nope");
    await expect(fileWith().read()).rejects.toMatchObject({
      code: "auth_file_corrupted",
      message: `${path} is not valid JSON; fix it or move it aside.`,
    });
    expect(await readFile(path, "utf8")).toBe("{ nope");
  });

  it("a file of the wrong shape names the field and the problem", async () => {
    await place(JSON.stringify({ version: 2, name: "ada", tags: [5] }));
    await expect(fileWith().read()).rejects.toMatchObject({
      code: "auth_file_corrupted",
      message: `${path}: tags.0 Invalid input: expected string, received number; fix it or move it aside.`,
    });
  });

  it("with remove, an unreadable file is removed, reported, and reads as none", async () => {
    await place('{"version": 2');
    expect(await fileWith({ corrupt: { code: "forbidden", remove: true } }).read()).toBeNull();
    expect(warnings).toEqual([`${path} could not be read and was removed.`]);
    await expect(stat(path)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("migrate turns an older version into the current one before validation", async () => {
    await place(JSON.stringify({ version: 1, user_name: "ada" }));
    const file = fileWith({
      migrate: (json) => {
        const old = json as { version: number; user_name?: string };
        return old.version === 1 ? { version: 2, name: old.user_name } : json;
      },
    });
    expect(await file.read()).toEqual({ version: 2, name: "ada", tags: [] });
  });
});

describe("PrivateJsonFile refuses what it did not write", () => {
  it("a symbolic link is refused, not read through, and left in place (even with remove)", async () => {
    const elsewhere = join(root, "elsewhere.json");
    await writeFile(elsewhere, JSON.stringify({ version: 2, name: "planted" }), { mode: 0o644 });
    await mkdir(dir, { mode: 0o700 });
    await symlink(elsewhere, path);
    const file = fileWith({ corrupt: { code: "forbidden", remove: true } });
    await expect(file.read()).rejects.toMatchObject({
      code: "forbidden",
      message: `${path} is a symbolic link; claudemesh does not follow links for its private files. Remove it and try again.`,
    });
    expect(await modeOf(elsewhere)).toBe(0o644);
    expect((await lstat(path)).isSymbolicLink()).toBe(true);
  });

  it("a dangling symbolic link is refused, not read as no file", async () => {
    await mkdir(dir, { mode: 0o700 });
    await symlink(join(root, "missing.json"), path);
    await expect(fileWith().read()).rejects.toMatchObject({
      code: "auth_file_corrupted",
      message: expect.stringContaining("is a symbolic link"),
    });
  });

  it("a folder in its place is refused as not a regular file", async () => {
    await mkdir(path, { recursive: true, mode: 0o700 });
    await expect(fileWith().read()).rejects.toMatchObject({
      code: "auth_file_corrupted",
      message: expect.stringContaining("is not a regular file"),
    });
  });

  it.runIf(process.platform !== "win32")("a FIFO in its place is refused at once instead of hanging", async () => {
    await mkdir(dir, { mode: 0o700 });
    execFileSync("mkfifo", ["-m", "600", path]);
    await expect(fileWith().read()).rejects.toMatchObject({ message: expect.stringContaining("not a regular file") });
  });

  // Only root can give a file away; elsewhere this runs where the suite runs as root (CI containers).
  it.runIf(process.getuid?.() === 0)("a file another user owns is refused", async () => {
    await place(JSON.stringify({ version: 2, name: "planted" }));
    await chown(path, 4242, 4242);
    await expect(fileWith().read()).rejects.toMatchObject({
      code: "auth_file_corrupted",
      message: `${path} belongs to another user (uid 4242); claudemesh only reads private files you own. Remove it and try again.`,
    });
  });

  it("write replaces a symbolic link with a file and leaves the link's target outside the folder untouched", async () => {
    const elsewhere = join(root, "elsewhere.json");
    await writeFile(elsewhere, "precious\n", { mode: 0o644 });
    await mkdir(dir, { mode: 0o700 });
    await symlink(elsewhere, path);
    await fileWith().write({ version: 2, name: "ada", tags: [] });
    expect(await readFile(elsewhere, "utf8")).toBe("precious\n");
    expect(await modeOf(elsewhere)).toBe(0o644);
    expect(await fileWith().read()).toEqual({ version: 2, name: "ada", tags: [] });
  });
});

describe("PrivateJsonFile.write and remove", () => {
  it("write refuses a value the schema rejects and keeps the file", async () => {
    const file = fileWith();
    await file.write({ version: 2, name: "ada", tags: [] });
    await expect(file.write({ version: 3 } as unknown as Settings)).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringMatching(/^Refusing to write .*settings\.json: version /),
    });
    expect(await file.read()).toMatchObject({ name: "ada" });
  });

  it("write narrows a folder others can read, and says so", async () => {
    await mkdir(dir, { mode: 0o755 });
    await chmod(dir, 0o755);
    await fileWith().write({ version: 2, name: "ada", tags: [] });
    expect(await modeOf(dir)).toBe(0o700);
    expect(warnings).toEqual([`${dir} was readable by others (755); changed it to 700.`]);
  });

  it("remove says whether there was a file, also when its folder is missing", async () => {
    const file = fileWith();
    expect(await file.remove()).toBe(false);
    await file.write({ version: 2, name: "ada", tags: [] });
    expect(await file.remove()).toBe(true);
    expect(await file.read()).toBeNull();
    expect(await readdir(dir)).toEqual([]);
  });
});

describe("PrivateJsonFile.update", () => {
  it("gets null without a file, and what it returns is written and returned", async () => {
    const file = fileWith();
    const seen: (Settings | null)[] = [];
    const written = await file.update((current) => {
      seen.push(current);
      return { version: 2, name: "ada" } as Settings;
    });
    expect(seen).toEqual([null]);
    expect(written).toEqual({ version: 2, name: "ada", tags: [] });
    expect(await file.read()).toEqual(written);
  });

  it("returning current leaves the file untouched; returning null removes it", async () => {
    const file = fileWith();
    await file.write({ version: 2, name: "ada", tags: [] });
    const before = await stat(path);
    await file.update((current) => current);
    expect((await stat(path)).ino).toBe(before.ino);
    expect(await file.update(() => null)).toBeNull();
    await expect(stat(path)).rejects.toMatchObject({ code: "ENOENT" });
    expect(await readdir(dir)).toEqual([]);
  });

  it("a corrupt file is reported, not replaced, and the lock is released", async () => {
    await place("{ nope");
    const file = fileWith();
    await expect(file.update(() => ({ version: 2, name: "ada", tags: [] }))).rejects.toMatchObject({
      code: "auth_file_corrupted",
    });
    expect(await readFile(path, "utf8")).toBe("{ nope");
    expect(await readdir(dir)).toEqual(["settings.json"]);
  });

  it("a change that throws releases the lock", async () => {
    const file = fileWith();
    await expect(
      file.update(() => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await readdir(dir)).toEqual([]);
    await file.update(() => ({ version: 2, name: "after", tags: [] }));
    expect(await file.read()).toMatchObject({ name: "after" });
  });

  it("updates in one process at once take turns and keep every change", async () => {
    const file = fileWith();
    await file.write({ version: 2, name: "ada", tags: [] });
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        file.update((current) => ({ ...(current as Settings), tags: [...(current?.tags ?? []), `t${i}`] })),
      ),
    );
    expect((await file.read())?.tags.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `t${i}`).sort());
  });
});

describe("PrivateJsonFile lock across processes", () => {
  // The updater child is bundled once, so each of its starts takes milliseconds.
  let updater = "";
  beforeAll(async () => {
    updater = join(await mkdtemp(join(tmpdir(), "claudemesh-updater-")), "updater.mjs");
    await build({ entryPoints: [UPDATER_SOURCE], outfile: updater, bundle: true, platform: "node", format: "esm" });
    return () => rm(join(updater, ".."), { recursive: true, force: true });
  });

  const Counts = z.record(z.string(), z.number());
  const countsFile = (options: { timeoutMs?: number; staleMs?: number } = {}) =>
    new PrivateJsonFile({ path, schema: Counts, corrupt: { code: "invalid_input" }, lock: options });
  /** A lock file as a process killed while holding it leaves one: its pid, nobody to remove it. */
  async function leaveLock(pid: number, ageMs = 0): Promise<void> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(`${path}.lock`, `${pid}\n`, { mode: 0o600 });
    const when = new Date(Date.now() - ageMs);
    await utimes(`${path}.lock`, when, when);
  }

  it("eight processes updating the same file at the same moment keep all of each other's changes", async () => {
    const rounds = 5;
    const children = Array.from({ length: 8 }, (_, i) =>
      spawn(process.execPath, [updater, path, `p${i}`, String(rounds)], { stdio: ["pipe", "pipe", "inherit"] }),
    );
    const said = (child: (typeof children)[number], word: string) =>
      new Promise<void>((resolve) => {
        let text = "";
        child.stdout?.on("data", (chunk) => {
          text += chunk;
          if (text.includes(`${word}\n`)) resolve();
        });
      });
    const exits = children.map((child) => new Promise<number | null>((resolve) => child.once("exit", resolve)));
    await Promise.all(children.map((child) => said(child, "ready")));
    for (const child of children) child.stdin?.write("go\n");
    expect(await Promise.all(exits)).toEqual(Array(8).fill(0));

    const counts = await countsFile().read();
    const expected = children.flatMap((_, i) => Array.from({ length: rounds }, (_, round) => `p${i}-${round}`));
    expect(Object.keys(counts ?? {}).sort()).toEqual(expected.sort());
    expect(await readdir(dir)).toEqual(["settings.json"]);
  }, 30_000);

  it("a lock left by a SIGKILLed process is taken over at once, not after the stale time", async () => {
    const killed = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"]);
    await new Promise((resolve) => killed.once("spawn", resolve));
    killed.kill("SIGKILL");
    await new Promise((resolve) => killed.once("exit", resolve));
    await leaveLock(killed.pid ?? 0);

    // Stale only after ten minutes: an update that waited for the lock to go stale would end in `conflict` instead.
    await countsFile({ staleMs: 600_000, timeoutMs: 10_000 }).update((current) => ({ ...current, next: 1 }));
    expect(await countsFile().read()).toEqual({ next: 1 });
    expect(await readdir(dir)).toEqual(["settings.json"]);
  });

  it("a lock older than the stale time is taken over even though its pid still runs", async () => {
    await leaveLock(process.ppid, 60_000);
    await countsFile({ staleMs: 10_000, timeoutMs: 1_000 }).update(() => ({ next: 1 }));
    expect(await countsFile().read()).toEqual({ next: 1 });
  });

  it("a live process's lock that is not released in time fails with conflict, naming the file", async () => {
    await leaveLock(process.ppid);
    const file = countsFile({ timeoutMs: 300 });
    const started = Date.now();
    await expect(file.update(() => ({ next: 1 }))).rejects.toMatchObject({
      code: "conflict",
      message: `Another claudemesh process (pid ${process.ppid}) is changing ${path} and did not finish in time; try again in a moment. If no claudemesh is running, remove ${path}.lock.`,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(await readFile(`${path}.lock`, "utf8")).toBe(`${process.ppid}\n`);
  });

  it("write and remove wait for the lock too", async () => {
    await leaveLock(process.ppid);
    const file = countsFile({ timeoutMs: 200 });
    await expect(file.write({ next: 1 })).rejects.toMatchObject({ code: "conflict" });
    await expect(file.remove()).rejects.toMatchObject({ code: "conflict" });
  });

  it("the lock file is private and holds the holder's pid", async () => {
    const file = countsFile();
    let seen = "";
    let mode = 0;
    await file.update(() => {
      // update's change is synchronous and runs while the lock is held.
      seen = readFileSync(`${path}.lock`, "utf8");
      mode = statSync(`${path}.lock`).mode & 0o777;
      return { next: 1 };
    });
    expect(seen).toBe(`${process.pid}\n`);
    expect(mode).toBe(0o600);
  });
});
