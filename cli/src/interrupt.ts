/**
 * Ctrl-C as an AbortSignal, wired on first use: until a command asks for it,
 * SIGINT ends the process as Node does by default; once one has, Ctrl-C
 * aborts the signal instead and the command winds down (or, for `launch`,
 * leaves it to Claude Code).
 */
export function lazyInterruptSignal(): () => AbortSignal {
  let controller: AbortController | undefined;
  return () => {
    if (!controller) {
      const interrupt = new AbortController();
      process.on("SIGINT", () => interrupt.abort());
      controller = interrupt;
    }
    return controller.signal;
  };
}
