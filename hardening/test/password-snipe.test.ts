// Issue 25, finding 2, on two server processes sharing a real Postgres: four
// addresses snipe one account with wrong passwords every 50 ms, so the
// account's back-off is held shut for anyone without a device cookie. The
// owner's browser, which signed in before, still signs in; so does a neighbour
// behind one attacker's address, to their own account. (How long each waits is
// measured by `pnpm bench snipe`, not asserted here.)

import { deviceCookieOf, signInFrom, startPasswordSnipe } from "@claudemesh/test-support/password-snipe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, startCluster } from "./support/cluster.js";

const PASSWORD = "correct horse battery";
const ATTACKERS = ["198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4"];

describe("a password snipe from four addresses, two instances on one Postgres", () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster(2, { TRUST_PROXY: "1" });
  });
  afterAll(() => cluster?.stop());

  it("the owner's browser with its device cookie signs in, and a neighbour behind an attacker's address signs in to their own account", async () => {
    const [first, second] = cluster.instances.map((instance) => instance.url) as [string, string];
    const origin = cluster.balancer.url;
    const owner = await cluster.instances[0]?.signUp("Olive Owner");
    const neighbour = await cluster.instances[1]?.signUp("Ned Neighbour");
    if (!owner || !neighbour) throw new Error("no instances");

    // The owner signed in on this browser before: it holds the account's device cookie.
    const earlier = await signInFrom(first, origin, { email: owner.email, password: PASSWORD }, "203.0.113.10");
    expect(earlier.status).toBe(200);
    const device = deviceCookieOf(earlier);
    expect(device).not.toBe("");

    const snipe = startPasswordSnipe({
      urls: [first, second],
      origin,
      email: owner.email,
      addresses: ATTACKERS,
      everyMs: 50,
    });
    try {
      // Snipers are being refused: the account's limits are all taken.
      await snipe.seen(429);

      const ownerBack = await signInFrom(
        second,
        origin,
        { email: owner.email, password: PASSWORD },
        "203.0.113.10",
        device,
      );
      expect(ownerBack.status).toBe(200);

      const neighbourIn = await signInFrom(
        first,
        origin,
        { email: neighbour.email, password: PASSWORD },
        ATTACKERS[0] ?? "",
      );
      expect(neighbourIn.status).toBe(200);
    } finally {
      console.log(`snipe answers: ${JSON.stringify(await snipe.stop())} (401 = checked, 429 = refused)`);
    }
  });
});
