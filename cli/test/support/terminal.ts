import { spawn } from "node:child_process";
import { suiteKeyringEnv } from "@claudemesh/test-support/suite-keyring";
import { CLI_BUNDLE } from "@claudemesh/test-support/workspace";

/** Keys as a terminal sends them. */
export const KEYS = { enter: "\r", down: "\x1b[B", up: "\x1b[A", ctrlC: "\x03" } as const;

/**
 * `claudemesh <args>` on a real pseudo-terminal (util-linux `script`):
 * `type()` is the keyboard, `screen()` everything it showed.
 */
export function inTerminal(args: string[], env: Record<string, string>) {
  // Without a terminal of its own, script's pty is 0×0 and prompts wrap every character: give it a size.
  const command = `stty cols 100 rows 40 2>/dev/null; exec ${[CLI_BUNDLE, ...args].join(" ")}`;
  const child = spawn("script", ["-qefc", command, "/dev/null"], {
    // The test run's keyring, as a desktop has one.
    env: { PATH: process.env.PATH ?? "", ...suiteKeyringEnv(), ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let screen = "";
  // Decoded as a stream, so a character split between two reads (á, ¿, ✔) arrives whole.
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    screen += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  /** Resolves when the screen matches, searching only what came after `since` (a screen() length). */
  const waitFor = async (pattern: RegExp, since = 0) => {
    for (let i = 0; i < 300; i += 1) {
      const match = screen.slice(since).match(pattern);
      if (match) return match;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`never showed ${pattern}:\n${screen}`);
  };
  return { type: (text: string) => child.stdin.write(text), waitFor, exited, screen: () => screen };
}
