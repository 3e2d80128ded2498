import { describe, expect, it } from "vitest";
import { ClaudemeshError } from "../errors.js";
import { nextReconnectDelay } from "./reconnect.js";

const dropped = new ClaudemeshError("network", "closed");

describe("nextReconnectDelay", () => {
  it("doubles from the initial delay up to the maximum, each wait in the upper half of its step", () => {
    const top = (attempt: number) => nextReconnectDelay(attempt, { random: () => 1 }, dropped);
    const bottom = (attempt: number) => nextReconnectDelay(attempt, { random: () => 0 }, dropped);
    expect([1, 2, 3, 4].map(top)).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map(bottom)).toEqual([250, 500, 1000, 2000]);
    expect(top(50)).toBe(30_000);
  });

  it("waits longer after the broker said to slow down", () => {
    const limited = new ClaudemeshError("rate_limited", "slow down");
    expect(nextReconnectDelay(1, { random: () => 0 }, limited)).toBe(2500);
    expect(nextReconnectDelay(1, { random: () => 1 }, limited)).toBe(5000);
  });
});
