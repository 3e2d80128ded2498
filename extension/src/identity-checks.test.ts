import { describe, expect, it } from "vitest";
import { EventEmitter } from "vscode";
import { RECHECK_EVERY_MS, STALE_AFTER_MS, scheduleIdentityChecks } from "./identity-checks.js";

describe("when the identity is checked again", () => {
  function setUp() {
    const reasons: string[] = [];
    let clock = 1_000_000;
    const identity = {
      checkedAt: clock as number | undefined,
      refresh: async (reason?: string) => {
        reasons.push(reason ?? "");
        identity.checkedAt = clock;
        return { kind: "signed_out" as const };
      },
    };
    const windowState = new EventEmitter<{ focused: boolean; active: boolean }>();
    const ticks: (() => void)[] = [];
    const checks = scheduleIdentityChecks({
      identity,
      onDidChangeWindowState: windowState.event,
      now: () => clock,
      every: (ms, tick) => {
        expect(ms).toBe(RECHECK_EVERY_MS);
        ticks.push(tick);
        return { dispose: () => ticks.splice(0) };
      },
    });
    return {
      reasons,
      identity,
      focus: (focused = true) => windowState.fire({ focused, active: focused }),
      tick: () => {
        for (const tick of ticks) tick();
      },
      wait: (ms: number) => {
        clock += ms;
      },
      checks,
      ticks,
    };
  }

  it("when the window regains focus after a while, not on every focus", () => {
    const { reasons, focus, wait } = setUp();
    focus();
    wait(STALE_AFTER_MS - 1);
    focus();
    expect(reasons).toEqual([]);
    wait(1);
    focus(false);
    expect(reasons).toEqual([]);
    focus();
    expect(reasons).toEqual(["the window regained focus"]);
    focus();
    expect(reasons).toHaveLength(1); // just checked
  });

  it("every few minutes, unless something else just checked", () => {
    const { reasons, tick, wait } = setUp();
    wait(RECHECK_EVERY_MS);
    tick();
    expect(reasons).toEqual(["the periodic check"]);
    wait(STALE_AFTER_MS / 2);
    tick();
    expect(reasons).toHaveLength(1);
  });

  it("not before the first check has answered (it is still on its way)", () => {
    const { reasons, identity, tick, focus, wait } = setUp();
    identity.checkedAt = undefined;
    wait(RECHECK_EVERY_MS);
    tick();
    focus();
    expect(reasons).toEqual([]);
  });

  it("stops when disposed", () => {
    const { checks, ticks, reasons, focus, wait } = setUp();
    checks.dispose();
    expect(ticks).toEqual([]);
    wait(RECHECK_EVERY_MS);
    focus();
    expect(reasons).toEqual([]);
  });
});
