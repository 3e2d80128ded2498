import { randomBytes } from "node:crypto";
import { link, open, readFile, rename, stat, unlink } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { ClaudemeshError } from "../errors.js";
import { isProcessRunning } from "./process-running.js";

/** How long to wait for a lock, and when a lock nobody released counts as abandoned. */
export interface FileLockOptions {
  /** Milliseconds to keep trying before giving up with `conflict`; 5 s by default. */
  timeoutMs?: number;
  /**
   * Milliseconds after which a lock is taken over even if its process still
   * runs (a read-modify-write takes milliseconds; its pid may have been reused);
   * 10 s by default. A lock whose process is gone is taken over at once.
   */
  staleMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_STALE_MS = 10_000;
const FIRST_RETRY_MS = 5;
const LONGEST_RETRY_MS = 100;

/**
 * Runs `critical` while holding `<path>.lock`, a file created exclusively
 * (`wx`, 0600) that holds this process's id, so that two processes (the CLI and
 * the VS Code extension, two CLIs) changing `path` take turns. The lock is
 * always released; one left by a killed process is taken over once its process
 * is gone or it is older than `staleMs`. The folder of `path` must exist.
 *
 * @example
 * await withFileLock(configPath, async () => write(change(await read())));
 */
export async function withFileLock<R>(
  path: string,
  critical: () => Promise<R>,
  options: FileLockOptions = {},
): Promise<R> {
  const lock = await acquire(path, options);
  try {
    return await critical();
  } finally {
    await release(lock);
  }
}

interface HeldLock {
  path: string;
  /** The inode of the lock file this process created: only that one is ever removed on release. */
  ino: number;
}

interface LockHolder {
  pid: number | undefined;
  ino: number;
  mtimeMs: number;
}

async function acquire(path: string, options: FileLockOptions): Promise<HeldLock> {
  const lockPath = `${path}.lock`;
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  let retryMs = FIRST_RETRY_MS;
  for (;;) {
    const held = await tryCreate(lockPath);
    if (held) return held;
    const holder = await inspect(lockPath);
    // Released between our attempt and the look: try again at once.
    if (!holder) continue;
    if (isStale(holder, staleMs)) {
      await takeOver(lockPath, holder);
      continue;
    }
    if (Date.now() >= deadline) {
      throw ClaudemeshError.of("conflict", { kind: "file_locked", path, lockPath, pid: holder.pid });
    }
    // Jittered, so processes that collided do not retry in step.
    await sleep(retryMs / 2 + Math.random() * retryMs);
    retryMs = Math.min(retryMs * 2, LONGEST_RETRY_MS);
  }
}

/** The lock, if this process could create it; null when another one exists. */
async function tryCreate(lockPath: string): Promise<HeldLock | null> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(lockPath, "wx", 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return null;
    throw error;
  }
  try {
    await handle.writeFile(`${process.pid}\n`);
    const { ino } = await handle.stat();
    return { path: lockPath, ino };
  } catch (error) {
    await unlink(lockPath).catch(() => {});
    throw error;
  } finally {
    await handle.close();
  }
}

/** Who holds the lock; null when there is none any more. */
async function inspect(lockPath: string): Promise<LockHolder | null> {
  try {
    const [text, info] = await Promise.all([readFile(lockPath, "utf8"), stat(lockPath)]);
    // Empty while its creator is between `open` and `write`: judged by age alone.
    const pid = /^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined;
    return { pid, ino: info.ino, mtimeMs: info.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

function isStale(holder: LockHolder, staleMs: number): boolean {
  if (holder.pid !== undefined && !isProcessRunning(holder.pid)) return true;
  return Date.now() - holder.mtimeMs > staleMs;
}

/**
 * Moves an abandoned lock aside, then deletes it. Renaming (not unlinking) lets
 * us check we moved the lock we judged: if another process replaced it in
 * between, its fresh lock is linked back (link never overwrites).
 */
async function takeOver(lockPath: string, stale: LockHolder): Promise<void> {
  const aside = `${lockPath}.${process.pid}.${randomBytes(4).toString("hex")}.stale`;
  try {
    await rename(lockPath, aside);
  } catch (error) {
    // Someone else took it over (or its holder finished) first.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  try {
    if ((await stat(aside)).ino !== stale.ino) await link(aside, lockPath).catch(() => {});
  } finally {
    await unlink(aside).catch(() => {});
  }
}

/**
 * Removes the lock if it is still this process's. Never throws, so it cannot
 * hide the critical section's own error: a lock it fails to remove holds this
 * process's id, and is taken over as soon as the process ends.
 */
async function release(lock: HeldLock): Promise<void> {
  try {
    // Taken over because this process took longer than staleMs: that lock is someone else's now.
    if ((await stat(lock.path)).ino !== lock.ino) return;
    await unlink(lock.path);
  } catch {
    // Gone already, or left for the next process to take over.
  }
}
