import { describe, expect, it } from "vitest";
import type { DeviceCodeResponse, DevicePollResponse } from "../contracts/index.js";
import { ClaudemeshError, SlowDownError } from "../errors.js";
import { CODE_REQUEST_PATIENCE_MS, DeviceFlow, type DeviceFlowEvent } from "./device-flow.js";

const START = Date.parse("2026-01-01T00:00:00Z");
const USER = { id: "u1", name: "Ada", email: "ada@example.test" };

/** Plays the server's side from a script; records what it was asked and how long the client slept. */
function scripted(
  answers: (DevicePollResponse | ClaudemeshError | ((now: number) => DevicePollResponse))[],
  lifetimeMs = 600_000,
  /** Thrown by the code requests, in turn, before one gets through. */
  codeFailures: ClaudemeshError[] = [],
) {
  let now = START;
  const sleeps: number[] = [];
  const polls: { waitSeconds?: number; at: number }[] = [];
  const code: DeviceCodeResponse = {
    device_code: "d".repeat(43),
    user_code: "BCDF-GHJK",
    expires_at: new Date(START + lifetimeMs).toISOString(),
    verification_url: "https://claudemesh.test/cli-auth",
    verification_url_complete: "https://claudemesh.test/cli-auth?code=BCDF-GHJK",
    interval: 1.5,
  };
  const api = {
    requestDeviceCode: async () => {
      const failure = codeFailures.shift();
      if (failure) throw failure;
      return code;
    },
    pollDeviceCode: async (_deviceCode: string, options: { waitSeconds?: number } = {}) => {
      polls.push({ waitSeconds: options.waitSeconds, at: now });
      const next = answers.shift();
      if (next === undefined) throw new Error("the script ran out of answers");
      if (next instanceof ClaudemeshError) throw next;
      return typeof next === "function" ? next(now) : next;
    },
  };
  const flow = new DeviceFlow({
    api,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    device: { device_name: "test", device_os: "linux", device_arch: "x64" },
  });
  return { flow, sleeps, polls, code, advance: (ms: number) => (now += ms) };
}

const pending: DevicePollResponse = { status: "pending" };
const approved: DevicePollResponse = {
  status: "approved",
  token: "cm_session_x",
  user: USER,
  expires_at: "2026-04-01T00:00:00.000Z",
};

describe("DeviceFlow", () => {
  it("shows the code, polls at the interval while pending, and returns the token on approval", async () => {
    const { flow, sleeps, polls } = scripted([pending, pending, approved]);
    const events: DeviceFlowEvent["type"][] = [];
    const result = await flow.run({ onEvent: (event) => events.push(event.type), longPoll: false });
    expect(result).toEqual({ token: "cm_session_x", user: USER, expiresAt: "2026-04-01T00:00:00.000Z" });
    expect(sleeps).toEqual([1500, 1500]);
    expect(polls.map((poll) => poll.waitSeconds)).toEqual([0, 0, 0]);
    expect(events).toEqual(["code", "waiting", "waiting", "done"]);
  });

  it("asks for long-polls of at most 25 s, and never past the code's expiry", async () => {
    const { flow, polls } = scripted([pending, approved], 20_000);
    await flow.run();
    expect(polls[0]?.waitSeconds).toBe(20);
    const { flow: longer, polls: longerPolls } = scripted([approved]);
    await longer.run();
    expect(longerPolls[0]?.waitSeconds).toBe(25);
  });

  it("does not sleep again after a long-poll that already took longer than the interval", async () => {
    const { flow, sleeps, advance } = scripted([
      () => {
        advance(25_000); // the server held the poll for its whole wait
        return pending;
      },
      approved,
    ]);
    await flow.run();
    expect(sleeps).toEqual([]);
  });

  it("on slow_down polls at the server's new interval from then on", async () => {
    const { flow, sleeps } = scripted([pending, new SlowDownError("Slow down.", 6.5), pending, approved]);
    const events: DeviceFlowEvent[] = [];
    await flow.run({ longPoll: false, onEvent: (event) => events.push(event) });
    expect(sleeps).toEqual([1500, 6500, 6500]);
    expect(events).toContainEqual({ type: "slow_down", intervalMs: 6500 });
  });

  it("backs off 1.5 → 3 → 6 s on network errors, capped at 30 s, and keeps going", async () => {
    const down = () => new ClaudemeshError("network", "Cannot reach claudemesh.test (ECONNREFUSED).");
    const { flow, sleeps } = scripted([down(), down(), down(), down(), down(), down(), down(), approved]);
    const retries: number[] = [];
    const result = await flow.run({
      longPoll: false,
      onEvent: (event) => event.type === "retrying" && retries.push(event.attempt),
    });
    expect(result.token).toBe("cm_session_x");
    expect(sleeps).toEqual([1500, 3000, 6000, 12000, 24000, 30000, 30000]);
    expect(retries).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("asks for the code again through network failures, with the polling's backoff, saying so each time", async () => {
    const down = () => new ClaudemeshError("network", "Cannot reach claudemesh.test (ECONNREFUSED).");
    const slow = new ClaudemeshError("timeout", "claudemesh.test did not answer in time.");
    const { flow, sleeps } = scripted([approved], 600_000, [down(), slow, down()]);
    const events: DeviceFlowEvent[] = [];
    const result = await flow.run({ longPoll: false, onEvent: (event) => events.push(event) });
    expect(result.token).toBe("cm_session_x");
    expect(sleeps).toEqual([1500, 3000, 6000]);
    expect(events.map((event) => event.type)).toEqual([
      "code_retrying",
      "code_retrying",
      "code_retrying",
      "code",
      "done",
    ]);
    expect(events[1]).toMatchObject({ type: "code_retrying", error: { code: "timeout" }, delayMs: 3000, attempt: 2 });
  });

  it("gives up asking for a code once the next try would start after CODE_REQUEST_PATIENCE_MS", async () => {
    const downs = Array.from({ length: 50 }, () => new ClaudemeshError("network", "Cannot reach claudemesh.test."));
    const { flow, sleeps } = scripted([], 600_000, downs);
    await expect(flow.run({ longPoll: false })).rejects.toMatchObject({ code: "network" });
    expect(sleeps).toEqual([1500, 3000, 6000, 12000, 24000, 30000, 30000]);
    expect(sleeps.reduce((sum, ms) => sum + ms, 0)).toBeLessThanOrEqual(CODE_REQUEST_PATIENCE_MS);
  });

  it("a code request refused for a reason retrying cannot fix ends at once", async () => {
    const { flow, sleeps } = scripted([], 600_000, [new ClaudemeshError("rate_limited", "Too many.")]);
    await expect(flow.run()).rejects.toMatchObject({ code: "rate_limited" });
    expect(sleeps).toEqual([]);
  });

  it("keeps polling through a server whose database is down (503 database_unavailable)", async () => {
    const down = () => new ClaudemeshError("database_unavailable", "The database is not answering.");
    const { flow, sleeps } = scripted([down(), down(), approved]);
    expect((await flow.run({ longPoll: false })).token).toBe("cm_session_x");
    expect(sleeps).toEqual([1500, 3000]);
  });

  it("resets the backoff once a poll gets through", async () => {
    const down = () => new ClaudemeshError("timeout", "slow");
    const { flow, sleeps } = scripted([down(), down(), pending, down(), approved]);
    await flow.run({ longPoll: false });
    expect(sleeps).toEqual([1500, 3000, 1500, 1500]);
  });

  it.each([
    ["denied", { status: "denied" }, "access_denied"],
    ["expired", { status: "expired" }, "device_code_expired"],
    ["approved without a token (claimed elsewhere)", { status: "approved", token: null }, "already_claimed"],
  ] as const)("%s ends with %s", async (_label, answer, code) => {
    const { flow } = scripted([pending, answer]);
    await expect(flow.run({ longPoll: false })).rejects.toMatchObject({ code });
  });

  it("stops at expires_at even if the server keeps saying pending", async () => {
    const { flow, polls } = scripted(
      Array.from({ length: 100 }, () => pending),
      5_000,
    );
    await expect(flow.run({ longPoll: false })).rejects.toMatchObject({ code: "device_code_expired", exitStatus: 1 });
    expect(polls.length).toBe(4); // at 0, 1.5, 3 and 4.5 s
  });

  it("an error that retrying cannot fix ends the flow at once", async () => {
    const { flow, polls } = scripted([new ClaudemeshError("not_found", "Unknown device code.")]);
    await expect(flow.run()).rejects.toMatchObject({ code: "not_found" });
    expect(polls).toHaveLength(1);
  });

  it("an aborted signal ends it as cancelled (exit 130)", async () => {
    const controller = new AbortController();
    const { flow } = scripted([
      () => {
        controller.abort();
        return pending;
      },
      approved,
    ]);
    const error = await flow.run({ signal: controller.signal }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "cancelled", exitStatus: 130 });
  });
});
