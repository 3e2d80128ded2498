// Two server processes on one Postgres behind a round-robin balancer, as a
// self-hoster scales out: a login started on one instance is approved and
// claimed on the other, revocation on one is seen by the other at once, and
// every rate limit counts across both (it lives in the database).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { storedToken } from "@claudemesh/sdk/testing";
import { startCli } from "@claudemesh/test-support/run-cli";
import type { RunningServer } from "@claudemesh/test-support/server-process";
import { RATE_LIMITS } from "claudemesh-server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, startCluster } from "./support/cluster.js";
import { DEVICE, pollDeviceCode, requestDeviceCode } from "./support/device-codes.js";

const USER_CODE = /[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}/;
const POLL_INTERVAL_MS = 1600; // a little over the server's 1.5 s, so no poll is told to slow down

/** A poll that must be answered 200; its body. */
async function poll(instance: RunningServer, deviceCode: string) {
  const answer = await pollDeviceCode(instance.url, deviceCode);
  expect(answer.httpStatus).toBe(200);
  return answer.body;
}

const whoami = (url: string, token: string) =>
  fetch(`${url}/api/my/whoami`, { headers: { authorization: `Bearer ${token}` } });

describe("two instances on one Postgres behind a round-robin balancer", () => {
  let cluster: Cluster;
  let a: RunningServer;
  let b: RunningServer;
  beforeAll(async () => {
    cluster = await startCluster(2);
    [a, b] = cluster.instances as [RunningServer, RunningServer];
  });
  afterAll(() => cluster?.stop());

  it("a code made on A is polled on both, approved on B, and claimed exactly once", async () => {
    const account = await a.signUp();
    const code = await requestDeviceCode(a.url);
    expect(await poll(a, code.device_code)).toEqual({ status: "pending" });
    await sleep(POLL_INTERVAL_MS);
    expect(await poll(b, code.device_code)).toEqual({ status: "pending" });

    expect((await b.decide(code.user_code, "approve", account.cookie)).status).toBe(200);
    await sleep(POLL_INTERVAL_MS);
    const claimed = await poll(a, code.device_code);
    expect(claimed).toMatchObject({ status: "approved", token: expect.stringMatching(/^cm_session_/) });
    await sleep(POLL_INTERVAL_MS);
    expect(await poll(b, code.device_code)).toEqual({ status: "approved", token: null });
  });

  it("the CLI logs in through the balancer; its held poll wakes when the other instance records the approval", async () => {
    const configDir = await mkdtemp(join(tmpdir(), "claudemesh-hardening-"));
    try {
      const account = await a.signUp();
      const env = {
        CLAUDEMESH_API_URL: cluster.balancer.url,
        CLAUDEMESH_CONFIG_DIR: configDir,
      };
      const before = cluster.balancer.exchanges.length;
      const forwardedBefore = cluster.balancer.forwarded.length;
      const login = startCli(["login", "--no-browser"], env);
      const [userCode] = await login.waitFor(USER_CODE);
      // Wait until the CLI's first poll has been passed to an instance (not a guess at how long
      // that takes), then approve on the other one while that poll is open.
      let parked: number | undefined;
      while (parked === undefined) {
        await sleep(50);
        parked = cluster.balancer.forwarded
          .slice(forwardedBefore)
          .find((e) => e.method === "GET" && e.path.startsWith("/api/auth/cli/device-code/"))?.backend;
      }
      const approver = parked === 0 ? b : a;
      expect((await approver.decide(userCode, "approve", account.cookie)).status).toBe(200);

      const result = await login.exited;
      expect(result.code).toBe(0);
      expect(result.stderr).toContain(`Authenticated as ${account.name}`);
      const polls = cluster.balancer.exchanges
        .slice(before)
        .filter((e) => e.method === "GET" && e.path.startsWith("/api/auth/cli/device-code/"));
      // One poll, held open on the instance that did not approve, delivered the token.
      expect(polls).toHaveLength(1);
      expect(polls[0]?.backend).toBe(parked);

      const token = (await storedToken(env)) ?? "";
      expect((await whoami(a.url, token)).status).toBe(200);
      expect((await whoami(b.url, token)).status).toBe(200);
    } finally {
      await rm(configDir, { recursive: true, force: true });
    }
  });

  it("a token revoked on one instance is refused by the other on the very next request", async () => {
    const account = await a.signUp();
    const pat = await a.createPat(account.cookie, "revoke-me");
    expect((await whoami(b.url, pat.token)).status).toBe(200);

    const revoked = await fetch(`${a.url}/api/my/cli/tokens/${pat.id}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${pat.token}` },
    });
    expect(revoked.status).toBe(200);
    const next = await whoami(b.url, pat.token);
    expect(next.status).toBe(401);
    expect(await next.json()).toMatchObject({ error: "token_revoked" });
  });
});

describe("rate limits hold across instances (counted in the database)", () => {
  let cluster: Cluster;
  let instances: RunningServer[];
  /** Alternates between the instances, so each limit is spent half on A, half on B. */
  const nth = (i: number) => instances[i % instances.length] as RunningServer;
  /** Accounts made from this address so far: they count against the sign-up limit. */
  let accountsMade = 0;
  const signUp = (name: string) => {
    accountsMade += 1;
    return nth(accountsMade).signUp(name);
  };
  beforeAll(async () => {
    cluster = await startCluster(2);
    instances = cluster.instances;
  });
  afterAll(() => cluster?.stop());

  async function spend(limit: number, attempt: (instance: RunningServer) => Promise<Response>) {
    const statuses: number[] = [];
    for (let i = 0; i < limit; i += 1) statuses.push((await attempt(nth(i))).status);
    const over = await attempt(nth(limit));
    return { statuses, over: { status: over.status, body: await over.json() } };
  }

  it("wrong user codes: the limit spent half on each instance refuses the next guess on either", async () => {
    const attacker = await signUp("Guesser");
    const guess = (instance: RunningServer) =>
      fetch(`${instance.url}/api/auth/cli/device-code/BBBB-BBBB`, { headers: { cookie: attacker.cookie } });
    const { statuses, over } = await spend(RATE_LIMITS.userCodesPerAccount.limit, guess);
    expect(new Set(statuses)).toEqual(new Set([404]));
    expect(over).toMatchObject({ status: 429, body: { error: "rate_limited" } });
    // Another account behind the same address is not stopped by the first one's misses.
    const neighbour = await signUp("Neighbour");
    const again = await fetch(`${nth(1).url}/api/auth/cli/device-code/CCCC-CCCC`, {
      headers: { cookie: neighbour.cookie },
    });
    expect(again.status).toBe(404);
  });

  it("device-code requests from one address", async () => {
    const { statuses, over } = await spend(RATE_LIMITS.deviceCodesPerAddress.limit, (instance) =>
      fetch(`${instance.url}/api/auth/cli/device-code`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(DEVICE),
      }),
    );
    expect(new Set(statuses)).toEqual(new Set([201]));
    expect(over).toMatchObject({ status: 429, body: { error: "rate_limited" } });
  });

  it("unknown bearer tokens from one address; a known token still works", async () => {
    const account = await signUp("Token Holder");
    const pat = await nth(0).createPat(account.cookie, "still-good");
    const forged = `cm_pat_${"a".repeat(52)}`;
    const { statuses, over } = await spend(RATE_LIMITS.unknownTokensPerAddress.limit, (instance) =>
      whoami(instance.url, forged),
    );
    expect(new Set(statuses)).toEqual(new Set([401]));
    expect(over).toMatchObject({ status: 429, body: { error: "rate_limited" } });
    expect((await whoami(nth(1).url, pat.token)).status).toBe(200);
  });

  it("wrong passwords for one account, through Better Auth's JSON route", async () => {
    const victim = await signUp("Victim");
    const { statuses, over } = await spend(RATE_LIMITS.passwordPerAccountAndAddress.limit, (instance) =>
      fetch(`${instance.url}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: cluster.balancer.url },
        body: JSON.stringify({ email: victim.email, password: "wrong password" }),
      }),
    );
    expect(new Set(statuses)).toEqual(new Set([401]));
    expect(over).toMatchObject({ status: 429, body: { error: "rate_limited" } });
  });

  it("new accounts from one address", async () => {
    let created = 0;
    const { statuses, over } = await spend(RATE_LIMITS.signUpsPerAddress.limit - accountsMade, (instance) => {
      created += 1;
      return fetch(`${instance.url}/api/auth/sign-up/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: cluster.balancer.url },
        body: JSON.stringify({ name: "Bulk", email: `bulk${created}@example.test`, password: "correct horse battery" }),
      });
    });
    expect(new Set(statuses)).toEqual(new Set([200]));
    expect(over).toMatchObject({ status: 429, body: { error: "rate_limited" } });
  });
});
