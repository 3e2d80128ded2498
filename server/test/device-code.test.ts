import { DeviceFingerprint, SlowDownBody, USER_CODE_ALPHABET } from "@claudemesh/sdk/contracts";
import { parseToken } from "@claudemesh/sdk/token";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../src/db/database.js";
import { auditLog, cliDeviceCode, cliToken } from "../src/db/schema.js";
import {
  CLAIM_WINDOW_MS,
  DEVICE_CODE_LIFETIME_MS,
  POLL_INTERVAL_MS,
  SLOW_DOWN_STEP_MS,
} from "../src/device-codes/device-code-store.js";
import { RATE_LIMITS } from "../src/limits/rate-limits.js";
import { DEVICE, decide, deviceLogin, poll, pollOk, requestDeviceCode } from "./support/device-login.js";
import { createTestApp, PUBLIC_URL, signUp, type TestApp } from "./support/test-app.js";
import { DATABASE_KINDS } from "./support/test-database.js";

describe.each(DATABASE_KINDS)("device-code login on %s", (kind) => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp(kind);
  });
  afterAll(() => testApp.close());

  describe("requesting a code", () => {
    it("answers the seed's shape with a user code of 8 consonants shown ABCD-EFGH", async () => {
      const code = await requestDeviceCode(testApp);
      expect(code.user_code).toMatch(new RegExp(`^[${USER_CODE_ALPHABET}]{4}-[${USER_CODE_ALPHABET}]{4}$`));
      expect(code.device_code.length).toBeGreaterThanOrEqual(43); // 32 random bytes
      expect(code.interval).toBe(POLL_INTERVAL_MS / 1000);
      expect(code.verification_url).toBe(`${PUBLIC_URL}/cli-auth`);
      expect(code.verification_url_complete).toBe(`${PUBLIC_URL}/cli-auth?code=${code.user_code}`);
      const lifetime = Date.parse(code.expires_at) - testApp.clock.now().getTime();
      expect(lifetime).toBe(DEVICE_CODE_LIFETIME_MS);
    });

    it.each([
      ["missing fields", {}],
      ["empty device name", { ...DEVICE, device_name: "  " }],
      ["wrong types", { device_name: 1, device_os: [], device_arch: null }],
    ])("rejects %s with 400 invalid_input", async (_label, body) => {
      const response = await testApp.postJson("/api/auth/cli/device-code", body);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        error: "invalid_input",
        message: expect.stringMatching(/device_/),
      });
    });
  });

  describe("polling", () => {
    it("is pending until someone decides", async () => {
      const code = await requestDeviceCode(testApp);
      expect(await pollOk(testApp, code.device_code)).toEqual({ status: "pending" });
    });

    it("faster than the interval gets 429 slow_down with a longer interval, then works at that pace", async () => {
      const code = await requestDeviceCode(testApp);
      await pollOk(testApp, code.device_code);
      const tooSoon = await testApp.get(`/api/auth/cli/device-code/${code.device_code}`);
      expect(tooSoon.status).toBe(429);
      const body = SlowDownBody.parse(await tooSoon.json());
      expect(body.interval).toBe((POLL_INTERVAL_MS + SLOW_DOWN_STEP_MS) / 1000);
      expect(tooSoon.headers.get("retry-after")).toBe(String(Math.ceil(body.interval)));

      // The old interval is no longer enough, and each early poll adds another step.
      testApp.clock.advance(POLL_INTERVAL_MS);
      const again = await testApp.get(`/api/auth/cli/device-code/${code.device_code}`);
      expect(again.status).toBe(429);
      const slower = SlowDownBody.parse(await again.json());
      expect(slower.interval).toBe(body.interval + SLOW_DOWN_STEP_MS / 1000);

      testApp.clock.advance(slower.interval * 1000);
      expect((await testApp.get(`/api/auth/cli/device-code/${code.device_code}`)).status).toBe(200);
    });

    it("an unknown device code is 404", async () => {
      const { status, body } = await poll(testApp, "x".repeat(43));
      expect(status).toBe(404);
      expect(body).toMatchObject({ error: "not_found" });
    });

    it("a bad wait is 400", async () => {
      const code = await requestDeviceCode(testApp);
      const response = await testApp.get(`/api/auth/cli/device-code/${code.device_code}?wait=soon`);
      expect(response.status).toBe(400);
    });

    it("expires after 10 minutes and can no longer be approved", async () => {
      const account = await signUp(testApp);
      const code = await requestDeviceCode(testApp);
      testApp.clock.advance(DEVICE_CODE_LIFETIME_MS);
      expect(await pollOk(testApp, code.device_code)).toEqual({ status: "expired" });
      const late = await decide(testApp, code.user_code, "approve", account);
      expect(late.status).toBe(410);
      expect(await late.json()).toMatchObject({ error: "gone" });
    });
  });

  describe("approval", () => {
    it("shows the device fingerprint to the signed-in approver", async () => {
      const account = await signUp(testApp);
      const code = await requestDeviceCode(testApp, {
        device_name: "build box",
        device_os: "darwin",
        device_arch: "arm64",
      });
      const response = await testApp.get(`/api/auth/cli/device-code/${code.user_code}`, { cookie: account.cookie });
      expect(response.status).toBe(200);
      const fingerprint = DeviceFingerprint.parse(await response.json());
      expect(fingerprint).toMatchObject({
        user_code: code.user_code,
        status: "pending",
        device_name: "build box",
        device_os: "darwin",
        device_arch: "arm64",
        expires_at: code.expires_at,
      });
    });

    it("mints the token for the first poll after approval only; later polls get approved without a token", async () => {
      const account = await signUp(testApp, { name: "Ada Lovelace" });
      const code = await requestDeviceCode(testApp);
      expect((await decide(testApp, code.user_code, "approve", account)).status).toBe(200);

      const first = await pollOk(testApp, code.device_code);
      expect(first.status).toBe("approved");
      expect(parseToken(first.token ?? "").kind).toBe("session");
      expect(first.user).toEqual({ id: account.id, name: "Ada Lovelace", email: account.email });
      expect(Date.parse(first.expires_at ?? "")).toBe(testApp.clock.now().getTime() + 90 * 24 * 3600 * 1000);

      expect(await pollOk(testApp, code.device_code)).toEqual({ status: "approved", token: null });

      const whoami = await testApp.get("/api/my/whoami", { token: first.token ?? "" });
      expect(whoami.status).toBe(200);
      expect(await whoami.json()).toMatchObject({
        user: { id: account.id },
        credential: { kind: "session", name: DEVICE.device_name },
      });
    });

    it("accepts the user code in any case, with or without the dash", async () => {
      const account = await signUp(testApp);
      const code = await requestDeviceCode(testApp);
      const typed = code.user_code.replace("-", "").toLowerCase();
      expect((await decide(testApp, typed, "approve", account)).status).toBe(200);
      expect((await pollOk(testApp, code.device_code)).token).toBeTruthy();
    });

    it("a second click on Approve is harmless; Deny after Approve is a conflict", async () => {
      const account = await signUp(testApp);
      const code = await requestDeviceCode(testApp);
      expect((await decide(testApp, code.user_code, "approve", account)).status).toBe(200);
      expect((await decide(testApp, code.user_code, "approve", account)).status).toBe(200);
      const deny = await decide(testApp, code.user_code, "deny", account);
      expect(deny.status).toBe(409);
      expect(await deny.json()).toMatchObject({ error: "conflict" });
    });

    it("deny ends the login and is audited", async () => {
      const account = await signUp(testApp);
      const code = await requestDeviceCode(testApp);
      expect(await (await decide(testApp, code.user_code, "deny", account)).json()).toEqual({ status: "denied" });
      expect(await pollOk(testApp, code.device_code)).toEqual({ status: "denied" });
      const audit = await testApp.database.db.select().from(auditLog).where(eq(auditLog.userId, account.id));
      expect(audit.map((row) => row.action)).toEqual(["auth.cli.login.denied"]);
    });

    it("an approved code not claimed within 60 s expires without minting a token", async () => {
      const account = await signUp(testApp);
      const code = await requestDeviceCode(testApp);
      await decide(testApp, code.user_code, "approve", account);
      testApp.clock.advance(CLAIM_WINDOW_MS + 1);
      expect(await pollOk(testApp, code.device_code)).toEqual({ status: "expired" });
      const tokens = await testApp.database.db.select().from(cliToken).where(eq(cliToken.userId, account.id));
      expect(tokens).toEqual([]);
    });

    it("needs a browser session: no cookie, or only a bearer token, is 401", async () => {
      const account = await signUp(testApp);
      const token = await deviceLogin(testApp, account);
      const code = await requestDeviceCode(testApp);
      const path = `/api/auth/cli/device-code/${code.user_code}/approve`;
      for (const options of [{}, { token }]) {
        const response = await testApp.postJson(path, {}, options);
        expect(response.status).toBe(401);
        expect(await response.json()).toMatchObject({ error: "auth_required" });
      }
      expect(await pollOk(testApp, code.device_code)).toEqual({ status: "pending" });
    });

    it("refuses cross-site approval", async () => {
      const account = await signUp(testApp);
      const code = await requestDeviceCode(testApp);
      const path = `/api/auth/cli/device-code/${code.user_code}/approve`;
      const evil = await testApp.app.request(path, {
        method: "POST",
        headers: { "content-type": "application/json", cookie: account.cookie, origin: "https://evil.example" },
        body: "{}",
      });
      expect(evil.status).toBe(403);
      const noOrigin = await testApp.app.request(path, {
        method: "POST",
        headers: { cookie: account.cookie, "sec-fetch-site": "cross-site" },
      });
      expect(noOrigin.status).toBe(403);
      expect(await pollOk(testApp, code.device_code)).toEqual({ status: "pending" });

      const sameSite = await testApp.app.request(path, {
        method: "POST",
        headers: { cookie: account.cookie, "sec-fetch-site": "same-origin" },
      });
      expect(sameSite.status).toBe(200);
    });

    it("a lookup that another site started (a link, an image) is refused before it counts", async () => {
      const account = await signUp(testApp);
      for (const site of ["cross-site", "same-site"]) {
        for (let i = 0; i < RATE_LIMITS.userCodesPerAccount.limit; i += 1) {
          const lookup = await testApp.get("/api/auth/cli/device-code/BBBB-BBBB", {
            cookie: account.cookie,
            headers: { "sec-fetch-site": site },
          });
          expect(lookup.status).toBe(403);
        }
      }
      const code = await requestDeviceCode(testApp);
      expect((await decide(testApp, code.user_code, "approve", account)).status).toBe(200);
    });

    it("rate-limits wrong user codes per user, so codes cannot be guessed", async () => {
      const account = await signUp(testApp);
      const code = await requestDeviceCode(testApp);
      const wrong = code.user_code === "BBBB-BBBB" ? "CCCC-CCCC" : "BBBB-BBBB";
      for (let i = 0; i < RATE_LIMITS.userCodesPerAccount.limit; i += 1) {
        expect((await testApp.get(`/api/auth/cli/device-code/${wrong}`, { cookie: account.cookie })).status).toBe(404);
      }
      const blocked = await decide(testApp, code.user_code, "approve", account);
      expect(blocked.status).toBe(429);
      expect(await blocked.json()).toMatchObject({ error: "rate_limited" });

      testApp.clock.advance(RATE_LIMITS.userCodesPerAccount.windowMs);
      const later = await decide(testApp, code.user_code, "approve", account);
      expect(later.status).toBe(410); // the window reopened; by now the code itself has expired
    });
  });

  describe("at rest", () => {
    it("no raw token, device code or user code is stored anywhere", async () => {
      const account = await signUp(testApp);
      const code = await requestDeviceCode(testApp);
      await decide(testApp, code.user_code, "approve", account);
      const { token } = await pollOk(testApp, code.device_code);
      const pat = (await (
        await testApp.postJson("/api/my/cli/tokens", { name: "ci" }, { cookie: account.cookie })
      ).json()) as {
        token: string;
      };

      const tables = rowsOf<{ name: string }>(
        await testApp.database.db.execute(
          sql`select table_name as name from information_schema.tables where table_schema = 'public'`,
        ),
      );
      let everything = "";
      for (const { name } of tables) {
        everything += JSON.stringify(rowsOf(await testApp.database.db.execute(sql.raw(`select * from "${name}"`))));
      }
      expect(everything.length).toBeGreaterThan(1000);
      for (const secret of [
        token ?? "",
        pat.token,
        code.device_code,
        code.user_code,
        code.user_code.replace("-", ""),
      ]) {
        expect(secret.length).toBeGreaterThan(7);
        expect(everything).not.toContain(secret);
      }
    });

    it("codes that expired more than 7 days ago are cleaned up when a new one is requested", async () => {
      const old = await requestDeviceCode(testApp);
      const countOld = async () =>
        (
          await testApp.database.db
            .select()
            .from(cliDeviceCode)
            .where(eq(cliDeviceCode.expiresAt, new Date(old.expires_at)))
        ).length;
      expect(await countOld()).toBe(1);
      testApp.clock.advance(DEVICE_CODE_LIFETIME_MS + 7 * 24 * 3600 * 1000 + 1000);
      await requestDeviceCode(testApp);
      expect(await countOld()).toBe(0);
    });
  });
});
