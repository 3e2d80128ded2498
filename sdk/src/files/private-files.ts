import { randomBytes } from "node:crypto";
import { chmod, mkdir, open, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { ClaudemeshError } from "../errors.js";

/** Narrows a file or folder to `wanted` when others could read it; says so through `onWarning`. */
export async function tightenMode(path: string, wanted: number, onWarning: (message: string) => void): Promise<void> {
  const mode = (await stat(path)).mode & 0o777;
  if ((mode & ~wanted) === 0) return;
  try {
    await chmod(path, wanted);
    onWarning(`${path} was readable by others (${mode.toString(8)}); changed it to ${wanted.toString(8)}.`);
  } catch (error) {
    onWarning(
      `${path} is readable by others (${mode.toString(8)}) and could not be changed: ${(error as Error).message}`,
    );
  }
}

/** Creates `dir` 0700, or narrows it; refuses to go on if it cannot be made private. */
export async function ensurePrivateDir(dir: string, onWarning: (message: string) => void): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await tightenMode(dir, 0o700, onWarning);
  const mode = (await stat(dir)).mode & 0o777;
  if (mode & 0o077) {
    throw new ClaudemeshError(
      "forbidden",
      `${dir} must be private (0700) but is ${mode.toString(8)}; fix its owner or mode.`,
    );
  }
}

/**
 * Replaces `path` with `content`, 0600: written whole to a temp file beside
 * it, synced, then renamed into place, so a crash leaves the old file or the
 * new one, never half of either.
 */
export async function writePrivateFileAtomically(path: string, content: string): Promise<void> {
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
