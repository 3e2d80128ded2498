import { readFileSync } from "node:fs";

/** Resident memory of a process in bytes, from /proc (Linux): what the benches report as RSS. */
export function residentBytes(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}
