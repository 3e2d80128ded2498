// Every limit against a parallel burst, on two server processes sharing a real
// Postgres (PGlite runs one query at a time, which would hide a race): however
// many requests arrive at once, at most the limit reach the check they pay
// for. And limits stop guessers without locking out the people they protect.

import type { RunningServer } from "@claudemesh/test-support/server-process";
import { RATE_LIMITS } from "claudemesh-server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson } from "./support/browser-session.js";
import { type Cluster, startCluster } from "./support/cluster.js";
import { DEVICE, requestDeviceCode } from "./support/device-codes.js";

const PASSWORD = "correct horse battery";

/** Statuses of `count` requests sent at once, spread over both instances. */
async function burst(count: number, send: (instance: RunningServer, i: number) => Promise<Response>) {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const response = await send(instances[i % instances.length] as RunningServer, i);
      await response.arrayBuffer();
      return response.status;
    }),
  );
}
let instances: RunningServer[] = [];

const tally = (statuses: number[]) => {
  const counts = new Map<number, number>();
  for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);
  return Object.fromEntries(counts);
};

describe("limits under a parallel burst, two instances on one Postgres", () => {
  let cluster: Cluster;
  let addresses = 0;
  /** A new client address: the instances trust one proxy hop (TRUST_PROXY=1), so tests can speak from anywhere. */
  const newAddress = () => {
    addresses += 1;
    return `198.51.100.${addresses}`;
  };
  const from = (address: string) => ({ "x-forwarded-for": address });
  const publicOrigin = () => ({ origin: cluster.balancer.url });

  let accounts = 0;
  async function signUp(address = newAddress()) {
    accounts += 1;
    const email = `burst${accounts}@example.test`;
    const response = await postJson(
      instances[0]?.url ?? "",
      "/api/auth/sign-up/email",
      { name: `Burst ${accounts}`, email, password: PASSWORD },
      { ...publicOrigin(), ...from(address) },
    );
    expect(response.status).toBe(200);
    const signedIn = await postJson(
      instances[0]?.url ?? "",
      "/api/auth/sign-in/email",
      { email, password: PASSWORD },
      { ...publicOrigin(), ...from(address) },
    );
    expect(signedIn.status).toBe(200);
    const cookie = signedIn.headers
      .getSetCookie()
      .map((line) => line.split(";")[0])
      .join("; ");
    return { email, cookie };
  }

  beforeAll(async () => {
    cluster = await startCluster(2, { TRUST_PROXY: "1" });
    instances = cluster.instances;
  });
  afterAll(() => cluster?.stop());

  const signIn = (instance: RunningServer, email: string, password: string, address: string) =>
    postJson(instance.url, "/api/auth/sign-in/email", { email, password }, { ...publicOrigin(), ...from(address) });

  it("wrong passwords for one account from one address: at most the limit are checked, web form and JSON alike", async () => {
    const victim = await signUp();
    const attacker = newAddress();
    const statuses = await burst(40, (instance, i) =>
      i % 2 === 0
        ? signIn(instance, victim.email, `guess ${i}`, attacker)
        : fetch(`${instance.url}/login`, {
            method: "POST",
            headers: {
              "content-type": "application/x-www-form-urlencoded",
              ...publicOrigin(),
              ...from(attacker),
            },
            body: new URLSearchParams({ email: victim.email, password: `guess ${i}` }).toString(),
          }),
    );
    const counts = tally(statuses);
    console.log(`sign-in burst of 40 wrong passwords from one address: ${JSON.stringify(counts)} (401 = checked)`);
    expect((counts[401] ?? 0) <= RATE_LIMITS.passwordPerAccountAndAddress.limit).toBe(true);
    expect(counts[401]).toBe(RATE_LIMITS.passwordPerAccountAndAddress.limit);
    expect(counts[429]).toBe(40 - RATE_LIMITS.passwordPerAccountAndAddress.limit);

    // The owner, elsewhere, is not locked out by it; the attacker's address still is, even with the right password.
    expect((await signIn(instances[1] as RunningServer, victim.email, PASSWORD, newAddress())).status).toBe(200);
    expect((await signIn(instances[0] as RunningServer, victim.email, PASSWORD, attacker)).status).toBe(429);
  });

  it("an IPv6 attacker is one address per /64, not 2^64 of them", async () => {
    const victim = await signUp();
    const inPrefix = (i: number) => `2001:db8:7:7::${(i + 1).toString(16)}`;
    const statuses = await burst(30, (instance, i) => signIn(instance, victim.email, `guess ${i}`, inPrefix(i)));
    expect(tally(statuses)[401]).toBe(RATE_LIMITS.passwordPerAccountAndAddress.limit);
    expect((await signIn(instances[0] as RunningServer, victim.email, PASSWORD, "2001:db8:7:8::1")).status).toBe(200);
  });

  it("wrong passwords from many addresses slow the account down instead of locking its owner out", async () => {
    const victim = await signUp();
    const { after, firstDelayMs } = RATE_LIMITS.passwordPerAccount.backoff;
    const started = performance.now();
    const statuses = await burst(after + 20, (instance, i) =>
      signIn(instance, victim.email, `guess ${i}`, newAddress()),
    );
    const elapsedMs = performance.now() - started;
    // Past `after`, one attempt per wait gets through, the waits doubling from firstDelayMs: count how many
    // waits fit in however long the burst took on this machine.
    let extra = 0;
    for (let wait = firstDelayMs, spent = wait; spent <= elapsedMs; wait *= 2, spent += wait) extra += 1;
    const checked = tally(statuses)[401] ?? 0;
    console.log(
      `${after + 20} wrong passwords from as many addresses in ${Math.round(elapsedMs)} ms: ${checked} checked`,
    );
    expect(checked).toBeGreaterThanOrEqual(after);
    expect(checked).toBeLessThanOrEqual(after + extra);

    // The owner is kept waiting for one back-off step, never a lockout window.
    let ownerStatus = 0;
    const deadline = Date.now() + 4 * firstDelayMs * 2 ** (extra + 1);
    while (ownerStatus !== 200 && Date.now() < deadline) {
      ownerStatus = (await signIn(instances[0] as RunningServer, victim.email, PASSWORD, newAddress())).status;
      if (ownerStatus !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(ownerStatus).toBe(200);
  });

  it.each([
    ["verify-password", (password: string) => ({ password })],
    ["change-password", (password: string) => ({ currentPassword: password, newPassword: "a new long password" })],
  ])("wrong passwords on %s, from a signed-in session, are limited like sign-in", async (route, body) => {
    const account = await signUp();
    const address = newAddress();
    const statuses = await burst(30, (instance, i) =>
      postJson(instance.url, `/api/auth/${route}`, body(`guess ${i}`), {
        ...publicOrigin(),
        ...from(address),
        cookie: account.cookie,
      }),
    );
    const counts = tally(statuses);
    console.log(`${route} burst of 30 wrong passwords: ${JSON.stringify(counts)} (400 = checked)`);
    // The session's browser carries the device cookie its sign-in set: its own attempts are used up first, then
    // it counts for nothing and the browser meets sign-in's hard stop for the account and address.
    const checked = RATE_LIMITS.passwordPerDevice.limit + RATE_LIMITS.passwordPerAccountAndAddress.limit;
    expect(counts[400]).toBe(checked);
    expect(counts[429]).toBe(30 - checked);
  });

  it("wrong user codes from one account: at most its limit are looked up, and a neighbour still approves its own", async () => {
    const address = newAddress();
    const guesser = await signUp(address);
    const neighbour = await signUp(address);
    const statuses = await burst(40, (instance, i) =>
      fetch(`${instance.url}/api/auth/cli/device-code/BBBB-${"BCDFGHJKLMNPQRSTVWXZ"[i % 20]}BBB`, {
        headers: { cookie: guesser.cookie, ...from(address) },
      }),
    );
    const counts = tally(statuses);
    console.log(`user-code burst of 40 from one account: ${JSON.stringify(counts)} (404 = looked up)`);
    expect(counts[404]).toBe(RATE_LIMITS.userCodesPerAccount.limit);
    expect(counts[429]).toBe(40 - RATE_LIMITS.userCodesPerAccount.limit);

    const code = await requestDeviceCode(instances[0]?.url ?? "");
    const approval = await postJson(
      instances[1]?.url ?? "",
      `/api/auth/cli/device-code/${code.user_code}/approve`,
      {},
      { ...publicOrigin(), ...from(address), cookie: neighbour.cookie },
    );
    expect(approval.status).toBe(200);
  });

  it("unknown bearer tokens from one address: at most the limit are answered as checked", async () => {
    const address = newAddress();
    const forged = `cm_pat_${"a".repeat(52)}`;
    const limit = RATE_LIMITS.unknownTokensPerAddress.limit;
    const statuses = await burst(limit + 60, (instance) =>
      fetch(`${instance.url}/api/my/whoami`, { headers: { authorization: `Bearer ${forged}`, ...from(address) } }),
    );
    expect(tally(statuses)).toEqual({ 401: limit, 429: 60 });
  });

  it("device codes, sign-ups and telemetry batches from one address: at most the limit are made", async () => {
    const address = newAddress();
    const deviceCodes = await burst(RATE_LIMITS.deviceCodesPerAddress.limit + 30, (instance) =>
      postJson(instance.url, "/api/auth/cli/device-code", DEVICE, from(address)),
    );
    expect(tally(deviceCodes)).toEqual({ 201: RATE_LIMITS.deviceCodesPerAddress.limit, 429: 30 });

    const signUps = await burst(RATE_LIMITS.signUpsPerAddress.limit + 20, (instance, i) =>
      postJson(
        instance.url,
        "/api/auth/sign-up/email",
        { name: "Bulk", email: `bulk${i}.${Date.now()}@example.test`, password: PASSWORD },
        { ...publicOrigin(), ...from(address) },
      ),
    );
    expect(tally(signUps)).toEqual({ 200: RATE_LIMITS.signUpsPerAddress.limit, 429: 20 });

    const batch = {
      install_id: "burst-install-1",
      events: [{ event: "cli.logout", at: new Date().toISOString(), properties: {} }],
    };
    const telemetry = await burst(RATE_LIMITS.telemetryBatchesPerAddress.limit + 30, (instance) =>
      postJson(instance.url, "/api/telemetry", batch, from(address)),
    );
    const accepted = tally(telemetry);
    expect(accepted[429]).toBe(30);
    expect(Object.keys(accepted)).toHaveLength(2);
  });
});
