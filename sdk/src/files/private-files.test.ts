import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { removeStaleTempFiles, writePrivateFileAtomically } from "./private-files.js";

describe("temp files left by killed writers", () => {
  let dir = "";
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "claudemesh-private-files-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  // Above Linux's pid_max, so no process has it.
  const deadPid = 999_999_999;
  const alivePid = process.ppid;

  it("the next write removes those of dead or long-gone writers and keeps a live writer's", async () => {
    const dead = `.auth.json.${deadPid}.0badc0de.tmp`;
    const live = `.auth.json.${alivePid}.0000beef.tmp`;
    const old = `.auth.json.${alivePid}.00c0ffee.tmp`;
    const otherFile = `.config.json.${deadPid}.0badc0de.tmp`;
    for (const name of [dead, live, old, otherFile]) await writeFile(join(dir, name), '{"token":"cm_session_');
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    await utimes(join(dir, old), twoMinutesAgo, twoMinutesAgo);

    await writePrivateFileAtomically(join(dir, "auth.json"), '{"version":1}\n');

    expect((await readdir(dir)).sort()).toEqual([live, otherFile, "auth.json"].sort());
    expect(await readFile(join(dir, "auth.json"), "utf8")).toBe('{"version":1}\n');
  });

  it("cleaning a folder that does not exist is not an error", async () => {
    await expect(removeStaleTempFiles(join(dir, "missing", "auth.json"))).resolves.toBeUndefined();
  });
});
