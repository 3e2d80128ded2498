import { closeSync, openSync, readFileSync, readSync, writeSync } from "node:fs";
import { looksLikeToken } from "@claudemesh/sdk";

/** Whether an environment variable carries a claudemesh credential: CLAUDEMESH_TOKEN, or a `cm_` token in its name or value. */
export function holdsCredential(name: string, value: string | undefined): boolean {
  return name === "CLAUDEMESH_TOKEN" || looksLikeToken(name) || (value !== undefined && looksLikeToken(value));
}

/** The names of the variables in `env` that carry a credential. */
export function credentialVariables(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([name, value]) => holdsCredential(name, value))
    .map(([name]) => name);
}

/**
 * Makes this process hold none of `variables` (named in `env`, this process's
 * environment) in the environment the OS shows
 * (`/proc/<pid>/environ`, `ps e`) for as long as it lives; `launch` stays Claude
 * Code's parent for the whole session. True when none is left; false when this
 * platform offers no way, and the caller must refuse. Removing them from
 * `process.env` is not enough: the environment a process was started with stays
 * where the kernel put it.
 *
 * - Where Node has `process.execve` (22.15+, 23.11+; not Windows), this process
 *   re-executes itself as `relaunchArgs` without them: same pid, new image, so
 *   neither the environment nor the heap holds the token any more. It does not return.
 * - On Linux otherwise, the entries are overwritten with zeros in the stack
 *   page the kernel reads `/proc/self/environ` from, through `/proc/self/mem`.
 */
export function forgetInheritedCredentials(
  env: NodeJS.ProcessEnv,
  variables: readonly string[],
  relaunchArgs: readonly string[],
): boolean {
  if (variables.length === 0) return true;
  const { execve } = process as { execve?: (file: string, args: string[], env: NodeJS.ProcessEnv) => never };
  if (typeof execve === "function" && process.platform !== "win32") {
    const clean = { ...env };
    for (const name of variables) delete clean[name];
    const script = process.argv[1] ?? "";
    execve.call(process, process.execPath, [process.execPath, ...process.execArgv, script, ...relaunchArgs], clean);
  }
  if (process.platform !== "linux") return false;
  // Unset first, so libc's environ no longer points at the strings that are then zeroed.
  for (const name of variables) delete env[name];
  try {
    overwriteEnvironmentBlock(variables);
  } catch {
    return false; // no /proc, or a kernel that keeps /proc/self/mem read-only
  }
  const left = readFileSync("/proc/self/environ", "utf8").split("\0");
  return !left.some((entry) => variables.includes(variableName(entry)));
}

/** Zeroes every `NAME=value` entry of `variables` in this process's initial environment (proc(5): env_start, env_end). */
function overwriteEnvironmentBlock(variables: readonly string[]): void {
  const stat = readFileSync("/proc/self/stat", "utf8");
  // Fields after the command name, which may hold spaces and brackets; field 3 comes first.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // User-space addresses fit in 47 bits: a number holds them exactly.
  const start = Number(fields[50 - 3]);
  const end = Number(fields[51 - 3]);
  if (!Number.isSafeInteger(start) || start === 0 || !(end > start)) throw new Error("no environment block");
  const block = Buffer.alloc(end - start);
  const mem = openSync("/proc/self/mem", "r+");
  try {
    readSync(mem, block, 0, block.length, start);
    for (let offset = 0; offset < block.length; ) {
      const terminator = block.indexOf(0, offset);
      const stop = terminator === -1 ? block.length : terminator;
      const entry = block.toString("utf8", offset, stop);
      if (variables.includes(variableName(entry))) {
        writeSync(mem, Buffer.alloc(stop - offset), 0, stop - offset, start + offset);
      }
      offset = stop + 1;
    }
  } finally {
    closeSync(mem);
  }
}

/** `NAME` of a `NAME=value` entry; empty when it has no `=`. */
function variableName(entry: string): string {
  const equals = entry.indexOf("=");
  return equals > 0 ? entry.slice(0, equals) : "";
}
