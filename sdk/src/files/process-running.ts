/**
 * True while a process with this id exists, on this machine: what tells a
 * killed writer's leftovers (temp files, lock files) from a live one's.
 *
 * @example
 * if (!isProcessRunning(pid)) await unlink(lockPath);
 */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
