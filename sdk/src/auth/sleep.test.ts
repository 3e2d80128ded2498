import { describe, expect, it } from "vitest";
import { realSleep } from "./sleep.js";

describe("realSleep", () => {
  it("waits at least the time asked", async () => {
    const started = performance.now();
    await realSleep(30);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });

  it("rejects with cancelled at once when the signal aborts mid-wait", async () => {
    const controller = new AbortController();
    const started = performance.now();
    const waiting = realSleep(10_000, controller.signal);
    setTimeout(() => controller.abort(), 10);
    await expect(waiting).rejects.toMatchObject({ name: "ClaudemeshError", code: "cancelled" });
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("rejects with cancelled without waiting when the signal has already aborted", async () => {
    await expect(realSleep(10_000, AbortSignal.abort())).rejects.toMatchObject({ code: "cancelled" });
  });
});
