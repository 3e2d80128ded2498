import { TOKEN_SCAN_REGEX } from "@claudemesh/sdk";
import { expect } from "vitest";
import { type CommandResult, type RunOptions, runCommand } from "./fake-context.js";

/** Stands for the saved login's token in `wantSent`. */
export const SAVED = "<saved>";

/** One row of a command's in-process test table. */
export interface CommandCase extends RunOptions {
  name: string;
  args: string[];
  wantStatus: number;
  /** Fragments stdout must contain, in this order. */
  wantStdout?: (string | RegExp)[];
  /** Fragments stderr must contain, in this order. */
  wantStderr?: (string | RegExp)[];
  /** Fragments that must appear in neither stream. */
  absent?: string[];
  /** The whole of stdout, when it must be exactly this (`""` for nothing). */
  stdoutIs?: string;
  /** `METHOD /path bearer` of every request, in order (`SAVED` for the saved login's token). */
  wantSent?: string[];
  /** The questions asked, in order. */
  wantAsked?: string[];
  /** Whatever else this row checks (files written, JSON shapes). */
  check?: (result: CommandResult) => void | Promise<void>;
}

function locate(text: string, fragment: string | RegExp): { index: number; length: number } {
  if (typeof fragment === "string") return { index: text.indexOf(fragment), length: fragment.length };
  const hit = fragment.exec(text);
  return { index: hit?.index ?? -1, length: hit?.[0].length ?? 0 };
}

function expectInOrder(text: string, fragments: (string | RegExp)[], stream: string): void {
  let from = 0;
  for (const fragment of fragments) {
    const found = locate(text.slice(from), fragment);
    expect(found.index, `${stream} should hold ${String(fragment)} (after the fragments before it):\n${text}`).not.toBe(
      -1,
    );
    from += found.index + found.length;
  }
}

/** Runs a row and checks it; every stub must have been used, every scripted answer taken, no token in --json. */
export async function runCase(row: CommandCase): Promise<void> {
  const result = await runCommand(row.args, row);
  expect(result.status, `exit status; stderr:\n${result.stderr}`).toBe(row.wantStatus);
  expectInOrder(result.stdout, row.wantStdout ?? [], "stdout");
  expectInOrder(result.stderr, row.wantStderr ?? [], "stderr");
  for (const fragment of row.absent ?? []) {
    expect(result.stdout + result.stderr).not.toContain(fragment);
  }
  if (row.stdoutIs !== undefined) expect(result.stdout).toBe(row.stdoutIs);
  if (row.wantSent) {
    const saved = result.savedToken ?? SAVED;
    expect(result.transport.sent()).toEqual(row.wantSent.map((line) => line.replace(SAVED, saved)));
  }
  if (row.wantAsked) expect(result.prompts.asked).toEqual(row.wantAsked);
  expect(result.prompts.unanswered, "scripted answers left over").toEqual([]);
  result.transport.verify();
  // `tokens create --json` is the one JSON that carries a token: the one just made.
  if (row.args.includes("--json") && !(row.args[0] === "tokens" && row.args[1] === "create")) {
    expect(result.stdout.match(TOKEN_SCAN_REGEX), "--json never prints a token").toBeNull();
  }
  await row.check?.(result);
}
