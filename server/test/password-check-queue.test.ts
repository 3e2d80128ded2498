import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PasswordCheck, withPasswordAttempt } from "../src/accounts/password-attempts.js";
import { oneAtATimePerKey } from "../src/limits/one-at-a-time.js";
import { createMigratedDatabase, type TestDatabase } from "./support/test-database.js";

// A burst of guesses for one account must not fill the CPU with password hashes
// that the owner's own check then waits behind: checks without a device cookie
// run one at a time per account; the owner's with a cookie, and other accounts', do not wait.
describe("password checks without a device cookie run one at a time per account", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createMigratedDatabase("pglite");
  });
  afterAll(() => database.close());

  /** A password check that holds until released, recording how many run at once. */
  function checks() {
    let running = 0;
    let mostAtOnce = 0;
    const started: string[] = [];
    const gates = new Map<string, () => void>();
    return {
      started,
      mostAtOnce: () => mostAtOnce,
      check: (name: string, outcome: PasswordCheck) => async () => {
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        started.push(name);
        await new Promise<void>((resolve) => gates.set(name, resolve));
        running -= 1;
        return { outcome, value: name };
      },
      release: (name: string) => gates.get(name)?.(),
    };
  }

  /** Waits for `condition`, failing with what it saw rather than at the test's timeout. */
  const until = async (condition: () => boolean, started: string[]) => {
    const giveUpAt = Date.now() + 10_000;
    while (!condition()) {
      if (Date.now() > giveUpAt) throw new Error(`waited 10 s; the checks started were: ${started.join(", ")}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  it("five guesses from five addresses check in turn; the owner's browser with its cookie and a neighbour's account check meanwhile", async () => {
    const deps = { db: database.db, sleep: async () => {}, untrustedChecks: oneAtATimePerKey() };
    const now = new Date();
    const owner = "owner@example.test";
    const attempts = checks();
    const guesses = [1, 2, 3, 4, 5].map((n) =>
      withPasswordAttempt(
        deps,
        { email: owner, ip: `198.51.100.${n}`, now, device: null },
        attempts.check(`guess ${n}`, "wrong"),
      ),
    );
    await until(() => attempts.started.length === 1, attempts.started);

    const ownersBrowser = withPasswordAttempt(
      deps,
      { email: "Owner@Example.test", ip: "203.0.113.10", now, device: { key: "owners-browser" } },
      attempts.check("owner", "right"),
    );
    const neighbour = withPasswordAttempt(
      deps,
      { email: "neighbour@example.test", ip: "198.51.100.1", now, device: null },
      attempts.check("neighbour", "right"),
    );
    await until(() => attempts.started.includes("owner") && attempts.started.includes("neighbour"), attempts.started);
    expect(attempts.started.filter((name) => name.startsWith("guess"))).toHaveLength(1);
    attempts.release("owner");
    attempts.release("neighbour");
    expect(await ownersBrowser).toEqual({ refused: false, value: "owner" });
    expect(await neighbour).toEqual({ refused: false, value: "neighbour" });

    const guessesStarted = () => attempts.started.filter((name) => name.startsWith("guess"));
    for (let n = 1; n <= 5; n += 1) {
      await until(() => guessesStarted().length === n, attempts.started);
      // Give a second guess every chance to start before this one is released: none may.
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(guessesStarted()).toHaveLength(n);
      attempts.release(guessesStarted().at(-1) ?? "");
    }
    expect(await Promise.all(guesses)).toEqual([1, 2, 3, 4, 5].map((n) => ({ refused: false, value: `guess ${n}` })));
    // The guesses alone never overlapped: at most one guess, the owner and the neighbour at once.
    expect(attempts.mostAtOnce()).toBe(3);
  });
});
