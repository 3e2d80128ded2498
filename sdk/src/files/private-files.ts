import { randomBytes } from "node:crypto";
import type { FileHandle } from "node:fs/promises";
import { chmod, mkdir, open, readdir, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { ClaudemeshError, type Notice } from "../errors.js";
import { isProcessRunning } from "./process-running.js";

/**
 * Narrows a file or folder to `wanted` when others could read it; says so through `onNotice`.
 * Given the `handle` it was opened with, acts on that file, whatever `path` names by now.
 */
export async function tightenMode(
  path: string,
  wanted: number,
  onNotice: (notice: Notice) => void,
  handle?: FileHandle,
): Promise<void> {
  const mode = (await (handle ? handle.stat() : stat(path))).mode & 0o777;
  if ((mode & ~wanted) === 0) return;
  try {
    await (handle ? handle.chmod(wanted) : chmod(path, wanted));
    onNotice({ kind: "mode_narrowed", path, mode, wanted });
  } catch (error) {
    onNotice({ kind: "mode_stuck", path, mode, reason: (error as Error).message });
  }
}

/** Creates `dir` 0700, or narrows it; refuses to go on if it cannot be made private. */
export async function ensurePrivateDir(dir: string, onNotice: (notice: Notice) => void): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await tightenMode(dir, 0o700, onNotice);
  const mode = (await stat(dir)).mode & 0o777;
  if (mode & 0o077) {
    throw ClaudemeshError.of("forbidden", { kind: "folder_not_private", path: dir, mode });
  }
}

/** A temp file older than this is a leftover, whoever wrote it: a write takes milliseconds. */
const STALE_TEMP_MS = 60_000;

/**
 * Replaces `path` with `content`, 0600: written whole to a temp file beside
 * it, synced, then renamed into place, so a crash leaves the old file or the
 * new one, never half of either. Temp files that killed writers left behind
 * are removed first, since they may hold a token.
 */
export async function writePrivateFileAtomically(path: string, content: string): Promise<void> {
  await removeStaleTempFiles(path);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const handle = await open(temp, "wx", 0o600);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
}

/** Deletes `path` and the temp copies killed writes left of it (they may hold a secret); true if it was there. */
export async function removePrivateFile(path: string): Promise<boolean> {
  await removeStaleTempFiles(path);
  try {
    await unlink(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

/**
 * Deletes the temp files of `path` (`.name.<pid>.<random>.tmp`) that a writer
 * killed mid-write (SIGKILL, power loss) left behind: their process is gone,
 * or they are too old to belong to a write in progress. Never throws.
 */
export async function removeStaleTempFiles(path: string): Promise<void> {
  const dir = dirname(path);
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name.slice(prefix.length))?.[1]);
    if (!pid || pid === process.pid) continue;
    const temp = join(dir, name);
    try {
      if (isProcessRunning(pid) && Date.now() - (await stat(temp)).mtimeMs < STALE_TEMP_MS) continue;
      await unlink(temp);
    } catch {
      // Gone already (another process cleaned it up, or its writer renamed it).
    }
  }
}
