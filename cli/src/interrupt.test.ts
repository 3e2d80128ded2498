import { describe, expect, it } from "vitest";
import { lazyInterruptSignal } from "./interrupt.js";

describe("lazyInterruptSignal", () => {
  it("leaves SIGINT alone until asked, then Ctrl-C aborts the one signal it gives", () => {
    const before = process.listenerCount("SIGINT");
    const interrupt = lazyInterruptSignal();
    expect(process.listenerCount("SIGINT")).toBe(before);

    const signal = interrupt();
    expect(interrupt()).toBe(signal);
    expect(process.listenerCount("SIGINT")).toBe(before + 1);
    expect(signal.aborted).toBe(false);

    // Only the listener it added is called: the test runner may have SIGINT listeners of its own.
    const [added] = process.listeners("SIGINT").slice(before);
    if (!added) throw new Error("no SIGINT listener was added");
    process.removeListener("SIGINT", added);
    added("SIGINT");
    expect(signal.aborted).toBe(true);
  });
});
