import { DevicePollResponse } from "@claudemesh/sdk/contracts";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliToken } from "../src/db/schema.js";
import { claimApprovedCode, findDeviceCodeByUserCode } from "../src/device-codes/device-code-store.js";
import { decide, pollOk, requestDeviceCode } from "./support/device-login.js";
import { createTestApp, signUp, type TestApp } from "./support/test-app.js";
import { createMigratedDatabase, DATABASE_KINDS } from "./support/test-database.js";

const NO_REQUEST = { ipAddress: null, userAgent: null };

describe.each(DATABASE_KINDS)("claiming and long-polling on %s", (kind) => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp(kind);
  });
  afterAll(() => testApp.close());

  it("exactly one of 50 concurrent claims mints a token", async () => {
    const account = await signUp(testApp);
    const code = await requestDeviceCode(testApp);
    await decide(testApp, code.user_code, "approve", account);
    const row = await findDeviceCodeByUserCode(testApp.database.db, code.user_code.replace("-", ""));
    if (!row) throw new Error("code not found");

    const now = testApp.clock.now();
    const claims = await Promise.all(
      Array.from({ length: 50 }, () => claimApprovedCode(testApp.database.db, row.id, NO_REQUEST, now)),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    const tokens = await testApp.database.db.select().from(cliToken).where(eq(cliToken.userId, account.id));
    expect(tokens).toHaveLength(1);
  });

  it("50 concurrent polls over HTTP: one token; every other answer is approved-without-token or slow_down", async () => {
    const account = await signUp(testApp);
    const code = await requestDeviceCode(testApp);
    await decide(testApp, code.user_code, "approve", account);
    testApp.clock.advance(1500);

    const answers = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const response = await testApp.get(`/api/auth/cli/device-code/${code.device_code}`);
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      }),
    );
    const withToken = answers.filter((answer) => typeof answer.body.token === "string");
    expect(withToken).toHaveLength(1);
    for (const answer of answers) {
      if (answer === withToken[0]) continue;
      if (answer.status === 200) expect(answer.body).toEqual({ status: "approved", token: null });
      else expect(answer).toMatchObject({ status: 429, body: { error: "slow_down" } });
    }
  });

  it("a long-poll is answered when the code is approved, long before its wait runs out", async () => {
    const account = await signUp(testApp);
    const code = await requestDeviceCode(testApp);
    const started = performance.now();
    const waiting = pollOk(testApp, code.device_code, 20);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const approvedAt = performance.now();
    await decide(testApp, code.user_code, "approve", account);
    const result = await waiting;
    const wokeAfter = performance.now() - approvedAt;

    expect(result.status).toBe("approved");
    expect(result.token).toBeTruthy();
    expect(performance.now() - started).toBeGreaterThanOrEqual(300); // it really waited
    // Woken by the notification, not by its 20 s timer.
    expect(wokeAfter).toBeLessThan(5000);
  });

  it("a long-poll with nothing decided answers pending when its wait runs out", async () => {
    const code = await requestDeviceCode(testApp);
    const started = performance.now();
    expect(await pollOk(testApp, code.device_code, 1)).toEqual({ status: "pending" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("a long-poll learns of a denial too", async () => {
    const account = await signUp(testApp);
    const code = await requestDeviceCode(testApp);
    const waiting = pollOk(testApp, code.device_code, 20);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await decide(testApp, code.user_code, "deny", account);
    expect(await waiting).toEqual({ status: "denied" });
  });
});

describe("long-polling across two server instances on one Postgres", () => {
  it("a poll held by instance A wakes when instance B records the approval", async () => {
    const database = await createMigratedDatabase("postgres");
    const url = database.url ?? "";
    const { openDatabase } = await import("../src/db/database.js");
    const otherConnection = await openDatabase({ kind: "postgres", url });
    const instanceA = await createTestApp("postgres", { database });
    const instanceB = await createTestApp("postgres", {
      database: { ...otherConnection, url },
      clock: instanceA.clock,
    });
    try {
      const account = await signUp(instanceB);
      const code = await requestDeviceCode(instanceA);
      instanceA.clock.advance(1500);
      const waiting = instanceA.get(`/api/auth/cli/device-code/${code.device_code}?wait=20`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const approvedAt = performance.now();
      expect((await decide(instanceB, code.user_code, "approve", account)).status).toBe(200);
      const result = DevicePollResponse.parse(await (await waiting).json());
      expect(result.status).toBe("approved");
      expect(result.token).toBeTruthy();
      // Woken by the approval, not answered when its 20 s wait ran out.
      expect(performance.now() - approvedAt).toBeLessThan(15_000);
    } finally {
      await otherConnection.close();
      await database.close();
    }
  });
});
