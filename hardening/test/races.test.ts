// Races, with two server processes on one Postgres, so contenders really run
// at once (in different processes and database connections): however the
// requests interleave, one login yields one token and one decision.
import { setTimeout as sleep } from "node:timers/promises";
import type { RunningServer } from "@claudemesh/test-support/server-process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, startCluster } from "./support/cluster.js";
import { type PollAnswer, pollDeviceCode, requestDeviceCode } from "./support/device-codes.js";

describe("races on two instances sharing one Postgres", () => {
  let cluster: Cluster;
  let instances: RunningServer[];
  const nth = (i: number) => instances[i % instances.length] as RunningServer;
  beforeAll(async () => {
    cluster = await startCluster(2);
    instances = cluster.instances;
  });
  afterAll(() => cluster?.stop());

  const requestCode = () => requestDeviceCode(nth(0).url);
  const poll = (instance: RunningServer, deviceCode: string, waitSeconds = 0) =>
    pollDeviceCode(instance.url, deviceCode, waitSeconds);

  const bearer = (url: string, token: string, init: RequestInit = {}) =>
    fetch(url, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } });

  it("100 polls at the moment of approval, plus held polls woken by it: exactly one token", async () => {
    const account = await nth(0).signUp("Poll Racer");
    const code = await requestCode();
    // Held polls admitted one interval apart, parked on both instances until the approval wakes them together.
    const held: Promise<PollAnswer>[] = [];
    for (let i = 0; i < 4; i += 1) {
      held.push(poll(nth(i), code.device_code, 25));
      await sleep(1600);
    }
    const burst = Array.from({ length: 100 }, (_, i) => poll(nth(i), code.device_code));
    const approval = nth(1).decide(code.user_code, "approve", account.cookie);
    const answers = await Promise.all([...held, ...burst]);
    expect((await approval).status).toBe(200);

    const tokens = answers.flatMap((answer) => (answer.body.token ? [answer.body.token] : []));
    expect(tokens).toHaveLength(1);
    for (const answer of answers) {
      if (answer.httpStatus === 429) expect(answer.body.error).toBe("slow_down");
      else expect(answer.httpStatus).toBe(200);
    }
    // The user has exactly one CLI session: no second token was minted and lost.
    const sessions = await bearer(`${nth(0).url}/api/my/cli/sessions`, tokens[0] as string);
    expect(((await sessions.json()) as { sessions: unknown[] }).sessions).toHaveLength(1);
  });

  it("approve and deny racing on different instances: one wins, and the login follows it", async () => {
    const account = await nth(0).signUp("Decider");
    const outcomes = new Set<string>();
    for (let round = 0; round < 12; round += 1) {
      const code = await requestCode();
      const [approve, deny] = await Promise.all([
        nth(round).decide(code.user_code, "approve", account.cookie),
        nth(round + 1).decide(code.user_code, "deny", account.cookie),
      ]);
      const statuses = [approve.status, deny.status].sort();
      expect(statuses).toEqual([200, 409]);
      const winner = approve.status === 200 ? "approved" : "denied";
      outcomes.add(winner);
      const answer = await poll(nth(round), code.device_code);
      expect(answer.body.status).toBe(winner);
      if (winner === "approved") expect(answer.body.token).toMatch(/^cm_session_/);
      else expect(answer.body.token).toBeUndefined();
    }
    // Not a requirement, but a race that one side always wins tests little; log what happened.
    console.log(`approve/deny race winners over 12 rounds: ${[...outcomes].join(", ")}`);
  });

  it("two people approving one code at once: one approval, one token, for the winner", async () => {
    for (let round = 0; round < 6; round += 1) {
      const [first, second] = await Promise.all([nth(0).signUp("First"), nth(1).signUp("Second")]);
      const code = await requestCode();
      const answers = await Promise.all([
        nth(round).decide(code.user_code, "approve", first.cookie),
        nth(round + 1).decide(code.user_code, "approve", second.cookie),
      ]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
      const winner = answers[0]?.status === 200 ? first : second;

      const claimed = await poll(nth(round), code.device_code);
      expect(claimed.body.token).toMatch(/^cm_session_/);
      const whoami = await bearer(`${nth(round + 1).url}/api/my/whoami`, claimed.body.token as string);
      expect(((await whoami.json()) as { user: { email: string } }).user.email).toBe(winner.email);
      await sleep(1600);
      expect((await poll(nth(round + 1), code.device_code)).body).toEqual({ status: "approved", token: null });
    }
  });

  it("a token revoked while requests are in flight: every request sent after the revoke answered is refused", async () => {
    const account = await nth(0).signUp("Revoker");
    const pat = await nth(0).createPat(account.cookie, "in-flight");
    const whoami = async (i: number) => {
      const response = await bearer(`${nth(i).url}/api/my/whoami`, pat.token);
      return {
        instance: i % instances.length,
        status: response.status,
        error: ((await response.json()) as { error?: string }).error,
      };
    };
    const onBoth = (count: number) => Promise.all(Array.from({ length: count }, (_, i) => whoami(i)));

    // Before: sent and answered before the revoke is sent, so they must succeed.
    const before = await onBoth(4);
    for (const result of before) expect(result).toMatchObject({ status: 200 });

    // Across: waves of requests on both instances, one after another, until the revoke has answered.
    // An async function runs up to its first await at once, so the first wave is sent before the revoke.
    let revokeAnswered = false;
    const across: Awaited<ReturnType<typeof whoami>>[] = [];
    const traffic = (async () => {
      do {
        across.push(...(await onBoth(4)));
      } while (!revokeAnswered);
    })();
    const revoke = await fetch(`${nth(1).url}/api/my/cli/tokens/${pat.id}`, {
      method: "DELETE",
      headers: { cookie: account.cookie, origin: cluster.balancer.url },
    });
    // Set in the same turn the answer arrives: no wave can start after it and be counted as sent before.
    revokeAnswered = true;
    expect(revoke.status).toBe(200);
    await traffic;
    // Sent before the revoke answered: either answer is right, but a refusal must say why.
    expect(across.length).toBeGreaterThanOrEqual(4);
    for (const result of across) {
      if (result.status !== 200) expect(result).toMatchObject({ status: 401, error: "token_revoked" });
    }

    // After: sent once the revoke has answered, on both instances; every one is refused.
    const after = await onBoth(8);
    expect(new Set(after.map((result) => result.instance))).toEqual(new Set([0, 1]));
    for (const result of after) expect(result).toMatchObject({ status: 401, error: "token_revoked" });
  });
});
