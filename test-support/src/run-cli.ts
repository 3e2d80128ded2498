import { type ChildProcess, spawn } from "node:child_process";
import { suiteKeyringEnv } from "./suite-keyring.js";
import { CLI_BUNDLE } from "./workspace.js";

export interface CliRun {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when stderr has printed something matching. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Starts the built `claudemesh` as a process with exactly this environment (plus PATH and the run's keyring). */
export function startCli(args: string[], env: Record<string, string>, stdin?: string): CliRun {
  const child = spawn(CLI_BUNDLE, args, {
    env: { PATH: process.env.PATH ?? "", ...suiteKeyringEnv(), ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  // Decoded as streams, so a character split between two reads (á, ¿, ✔) arrives whole.
  child.stdout?.setEncoding("utf8");
  child.stderr?.setEncoding("utf8");
  const waiters: { pattern: RegExp; resolve(match: RegExpMatchArray): void }[] = [];
  child.stdout?.on("data", (chunk: string) => {
    out += chunk;
  });
  child.stderr?.on("data", (chunk: string) => {
    err += chunk;
    for (const waiter of [...waiters]) {
      const match = err.match(waiter.pattern);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  });
  if (stdin !== undefined) child.stdin?.end(stdin);
  else child.stdin?.end();
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once("exit", (code) => resolve({ code, stdout: out, stderr: err })),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const match = err.match(pattern);
        if (match) return resolve(match);
        waiters.push({ pattern, resolve });
        void exited.then(() => reject(new Error(`exited before printing ${pattern}:\n${err}`)));
      }),
    exited,
  };
}

/** Runs `claudemesh` to completion. */
export function runCli(args: string[], env: Record<string, string>, stdin?: string) {
  return startCli(args, env, stdin).exited;
}
