import { lstat, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DeviceCodeResponse, DevicePollResponse } from "../contracts/index.js";
import { ClaudemeshError, englishNotice, SlowDownError } from "../errors.js";
import { DeviceFlow } from "./device-flow.js";
import {
  checkPendingLogin,
  type PendingLogin,
  PendingLoginStore,
  pendingDeviceCode,
  waitForPendingLogin,
} from "./pending-login.js";

const START = Date.parse("2026-01-01T00:00:00Z");
const USER = { id: "u1", name: "Ada", email: "ada@example.test" };
const API_URL = "https://claudemesh.test/";
const CODE: DeviceCodeResponse = {
  device_code: "d".repeat(43),
  user_code: "BCDF-GHJK",
  expires_at: new Date(START + 600_000).toISOString(),
  verification_url: "https://claudemesh.test/cli-auth",
  verification_url_complete: "https://claudemesh.test/cli-auth?code=BCDF-GHJK",
  interval: 1.5,
};
const approved: DevicePollResponse = {
  status: "approved",
  token: "cm_session_x",
  user: USER,
  expires_at: CODE.expires_at,
};

let dir = "";
let now = START;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "claudemesh-pending-login-"));
  now = START;
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const storeFor = (apiUrl = API_URL) => new PendingLoginStore({ apiUrl, configDir: join(dir, "cfg"), now: () => now });

/** A real DeviceFlow on a scripted server; records polls and the client's sleeps on a fake clock. */
function scriptedFlow(answers: (DevicePollResponse | ClaudemeshError)[]) {
  const polls: { waitSeconds?: number; at: number }[] = [];
  const sleeps: number[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
    now += ms;
  };
  const flow = new DeviceFlow({
    api: {
      requestDeviceCode: async () => CODE,
      pollDeviceCode: async (_code, options = {}) => {
        polls.push({ waitSeconds: options.waitSeconds, at: now });
        const next = answers.shift();
        if (next === undefined) throw new Error("the script ran out of answers");
        if (next instanceof ClaudemeshError) throw next;
        return next;
      },
    },
    now: () => now,
    sleep,
    device: { device_name: "test", device_os: "linux", device_arch: "x64" },
  });
  return { flow, polls, sleeps, sleep };
}

describe("PendingLoginStore", () => {
  it("keeps the code 0600 in a 0700 folder, for this server only", async () => {
    const store = storeFor();
    const saved = await store.save(CODE);
    expect(saved).toMatchObject({ api_url: "https://claudemesh.test", device_code: CODE.device_code, interval: 1.5 });
    expect((await stat(store.path)).mode & 0o777).toBe(0o600);
    expect((await stat(store.dir)).mode & 0o777).toBe(0o700);
    expect(await store.load()).toEqual(saved);
    expect(pendingDeviceCode(saved)).toEqual(CODE);
    expect(await storeFor("https://other.test").load()).toBeNull();
  });

  it("an unreadable file is removed and reported, and reads as none", async () => {
    const warnings: string[] = [];
    const store = new PendingLoginStore({
      apiUrl: API_URL,
      configDir: dir,
      onNotice: (notice) => warnings.push(englishNotice(notice)),
    });
    await writeFile(store.path, "{ not json", { mode: 0o600 });
    expect(await store.load()).toBeNull();
    expect(warnings).toEqual([`${store.path} could not be read and was removed.`]);
    await expect(stat(store.path)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("clear leaves a newer pending login another process saved", async () => {
    const store = storeFor();
    const first = await store.save(CODE);
    await store.save({ ...CODE, device_code: "e".repeat(43) });
    expect(await store.clear(first)).toBe(false);
    expect((await store.load())?.device_code).toBe("e".repeat(43));
  });

  it("recordCheck of an older login leaves a newer one another process saved", async () => {
    const store = storeFor();
    const first = await store.save(CODE);
    await store.save({ ...CODE, device_code: "e".repeat(43) });
    await store.recordCheck(first, 5);
    expect(await store.load()).toMatchObject({ device_code: "e".repeat(43), last_checked_at: null });
  });

  it("a symbolic link in its place is refused (forbidden) and left, not removed as unreadable", async () => {
    const store = storeFor();
    await mkdir(store.dir, { recursive: true, mode: 0o700 });
    await symlink(join(dir, "elsewhere.json"), store.path);
    await expect(store.load()).rejects.toMatchObject({ code: "forbidden" });
    expect((await lstat(store.path)).isSymbolicLink()).toBe(true);
  });
});

describe("checkPendingLogin", () => {
  it("pending: records the check and when the next one is due", async () => {
    const store = storeFor();
    const login = await store.save(CODE);
    const { flow, polls } = scriptedFlow([{ status: "pending" }]);
    const check = await checkPendingLogin(login, { flow, store, now: () => now });
    expect(check).toMatchObject({ status: "pending", nextCheckAt: START + 1500 });
    expect(polls).toEqual([{ waitSeconds: 0, at: START }]);
    expect((await store.load())?.last_checked_at).toBe(new Date(START).toISOString());
  });

  it("a check sooner than the interval waits out the rest instead of polling early", async () => {
    const store = storeFor();
    const { flow, polls, sleeps, sleep } = scriptedFlow([{ status: "pending" }, approved]);
    const deps = { flow, store, sleep, now: () => now };
    const first = await checkPendingLogin(await store.save(CODE), deps);
    if (first.status !== "pending") throw new Error("expected pending");
    now += 400;
    const second = await checkPendingLogin(first.login, deps);
    expect(second).toEqual({
      status: "approved",
      result: { token: "cm_session_x", user: USER, expiresAt: CODE.expires_at },
    });
    expect(sleeps).toEqual([1100]);
    expect(polls.map((poll) => poll.at)).toEqual([START, START + 1500]);
    // The caller removes it once the token is saved.
    expect(await store.load()).not.toBeNull();
  });

  it("slow_down: the server's interval is kept for the next check", async () => {
    const store = storeFor();
    const { flow } = scriptedFlow([new SlowDownError("too fast", 6.5)]);
    const check = await checkPendingLogin(await store.save(CODE), { flow, store, now: () => now });
    expect(check).toMatchObject({ status: "pending", nextCheckAt: START + 6500 });
    expect((await store.load())?.interval).toBe(6.5);
  });

  it.each([
    ["denied", { status: "denied" } as DevicePollResponse, "access_denied"],
    ["expired on the server", { status: "expired" } as DevicePollResponse, "device_code_expired"],
    ["claimed by another process", { status: "approved", token: null } as DevicePollResponse, "already_claimed"],
    ["forgotten by the server", new ClaudemeshError("not_found", "Unknown device code."), "device_code_expired"],
  ])("%s: throws and removes the pending login", async (_name, answer, code) => {
    const store = storeFor();
    const { flow } = scriptedFlow([answer]);
    await expect(checkPendingLogin(await store.save(CODE), { flow, store, now: () => now })).rejects.toMatchObject({
      code,
    });
    expect(await store.load()).toBeNull();
  });

  it("past its expiry: removed without asking the server", async () => {
    const store = storeFor();
    const login = await store.save(CODE);
    now = Date.parse(CODE.expires_at);
    const { flow, polls } = scriptedFlow([]);
    await expect(checkPendingLogin(login, { flow, store, now: () => now })).rejects.toMatchObject({
      code: "device_code_expired",
    });
    expect(polls).toEqual([]);
    expect(await store.load()).toBeNull();
  });

  it("a network failure keeps the pending login for the next try", async () => {
    const store = storeFor();
    const { flow } = scriptedFlow([new ClaudemeshError("network", "Cannot reach the server.")]);
    await expect(checkPendingLogin(await store.save(CODE), { flow, store, now: () => now })).rejects.toMatchObject({
      code: "network",
    });
    expect(await store.load()).not.toBeNull();
  });
});

describe("waitForPendingLogin", () => {
  it("waits out the interval since the last check, then polls until approved", async () => {
    const store = storeFor();
    const login: PendingLogin = { ...(await store.save(CODE)), last_checked_at: new Date(START - 500).toISOString() };
    const { flow, polls, sleeps, sleep } = scriptedFlow([{ status: "pending" }, approved]);
    const result = await waitForPendingLogin(login, { flow, store, sleep, now: () => now }, { longPoll: false });
    expect(result.token).toBe("cm_session_x");
    expect(sleeps).toEqual([1000, 1500]);
    expect(polls.map((poll) => poll.at)).toEqual([START + 1000, START + 2500]);
  });

  it("a denial removes the pending login", async () => {
    const store = storeFor();
    const { flow } = scriptedFlow([{ status: "denied" }]);
    await expect(waitForPendingLogin(await store.save(CODE), { flow, store })).rejects.toMatchObject({
      code: "access_denied",
    });
    expect(await readFile(store.path, "utf8").catch(() => "gone")).toBe("gone");
  });
});
