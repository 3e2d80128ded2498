import { ExitStatus } from "@claudemesh/sdk/errors";
import type { Command } from "commander";

// The status each run returned, kept per program: commander's parseAsync drops what actions return.
const returned = new WeakMap<Command, number>();

/** A commander action from a command's `run`, whose returned exit status `statusOf(program)` reads back. */
export function returnsStatus<Args extends unknown[]>(run: (...args: Args) => Promise<number> | number) {
  return async function (this: Command, ...args: Args): Promise<void> {
    const status = await run(...args);
    let program: Command = this;
    while (program.parent) program = program.parent;
    returned.set(program, status);
  };
}

/** The exit status the command that ran returned (0 when it returned none, e.g. after `--help`). */
export function statusOf(program: Command): number {
  return returned.get(program) ?? ExitStatus.ok;
}
