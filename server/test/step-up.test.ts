import { totpCode } from "@claudemesh/test-support/totp";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { session } from "../src/db/schema.js";
import { SECURITY_PATH } from "../src/pages/security-page.js";
import { STEP_UP_WINDOW_MS } from "../src/step-up/freshness.js";
import { decide, requestDeviceCode } from "./support/device-login.js";
import { pageText } from "./support/page-text.js";
import { createTestApp, signUp, type TestAccount, type TestApp } from "./support/test-app.js";
import { startTotpSetUp, turnOnTotp } from "./support/two-factor.js";

const PAST_THE_HOUR = STEP_UP_WINDOW_MS + 60_000;

describe("step-up: what matters needs a proof of who you are from the last hour", () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp("pglite");
  });
  afterAll(() => testApp.close());

  const approve = async (account: TestAccount) => {
    const code = await requestDeviceCode(testApp);
    return decide(testApp, code.user_code, "approve", account);
  };
  const createPat = (account: TestAccount) =>
    testApp.postJson("/api/my/cli/tokens", { name: "ci", expires_in_days: 30 }, { cookie: account.cookie });
  const confirmWith = (account: TestAccount, fields: Record<string, string>) =>
    testApp.postForm("/confirm", { next: "/cli-auth", ...fields }, { cookie: account.cookie });

  it("approves and creates tokens right after sign-in, answers 403 step_up_required an hour later, and again after the next hour", async () => {
    const account = await signUp(testApp);
    // Signing in is the first proof, written by the server on the session row, by its clock.
    const [row] = await testApp.database.db.select().from(session).where(eq(session.userId, account.id));
    expect(row?.authenticatedAt?.getTime()).toBe(testApp.clock.now().getTime());
    expect((await approve(account)).status).toBe(200);
    expect((await createPat(account)).status).toBe(201);

    testApp.clock.advance(PAST_THE_HOUR);
    for (const stale of [await approve(account), await createPat(account)]) {
      expect(stale.status).toBe(403);
      expect(await stale.json()).toMatchObject({ error: "step_up_required" });
    }
    const change = await testApp.postJson(
      "/api/auth/change-password",
      { currentPassword: account.password, newPassword: "another long password" },
      { cookie: account.cookie },
    );
    expect(change.status).toBe(403);
    const passkey = await testApp.get("/api/auth/passkey/generate-register-options", { cookie: account.cookie });
    expect(passkey.status).toBe(403);

    // A wrong password is not a proof; the right one is, for an hour by the server's clock.
    expect((await confirmWith(account, { password: "not my password" })).status).toBe(401);
    const confirmed = await confirmWith(account, { password: account.password });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get("location")).toBe("/cli-auth");
    expect((await approve(account)).status).toBe(200);
    expect((await createPat(account)).status).toBe(201);

    testApp.clock.advance(PAST_THE_HOUR);
    expect((await approve(account)).status).toBe(403);
  });

  it("the pages send a stale browser to /confirm and back, and refusing a login never needs it", async () => {
    const account = await signUp(testApp);
    testApp.clock.advance(PAST_THE_HOUR);
    const code = await requestDeviceCode(testApp);

    const approval = await testApp.postForm(
      "/cli-auth",
      { code: code.user_code, decision: "approve" },
      { cookie: account.cookie },
    );
    expect(approval.status).toBe(303);
    const back = `/cli-auth?code=${encodeURIComponent(code.user_code)}`;
    expect(approval.headers.get("location")).toBe(`/confirm?next=${encodeURIComponent(back)}`);
    const confirmPage = await testApp.get(approval.headers.get("location") ?? "", { cookie: account.cookie });
    expect(confirmPage.status).toBe(200);
    expect(pageText(await confirmPage.text())).toContain("Confirm it's you");

    for (const [path, fields] of [
      ["/dashboard/settings/cli-tokens", { name: "ci", expiry: "30" }],
      [`${SECURITY_PATH}/password`, { current: account.password, password: "another long password" }],
      [`${SECURITY_PATH}/two-factor/enable`, { password: account.password }],
    ] as const) {
      const stale = await testApp.postForm(path, fields, { cookie: account.cookie });
      expect(stale.status, path).toBe(303);
      expect(stale.headers.get("location"), path).toMatch(/^\/confirm\?next=/);
    }

    const denied = await testApp.postForm(
      "/cli-auth",
      { code: code.user_code, decision: "deny" },
      { cookie: account.cookie },
    );
    expect(denied.status).toBe(200);
  });

  it("an account with TOTP confirms with a code or a backup code (each once), never its password alone", async () => {
    const fresh = await signUp(testApp);
    const { secret: firstKey } = await startTotpSetUp(testApp, fresh);
    const wrongFirst = await testApp.postForm(
      `${SECURITY_PATH}/two-factor/verify`,
      { code: "000000" === totpCode(firstKey) ? "111111" : "000000" },
      { cookie: fresh.cookie },
    );
    expect(wrongFirst.headers.get("location")).toBe(`${SECURITY_PATH}?two_factor_error=stale`);
    // A wrong first code starts set-up over: a new key.
    const { account, backupCodes, secret } = await turnOnTotp(testApp, fresh);
    expect(backupCodes.length).toBeGreaterThanOrEqual(8);

    testApp.clock.advance(PAST_THE_HOUR);
    expect((await confirmWith(account, { password: account.password })).status).toBe(400);
    expect((await approve(account)).status).toBe(403);
    const [firstBackup] = backupCodes;
    expect((await confirmWith(account, { code: firstBackup ?? "" })).status).toBe(303);
    expect((await approve(account)).status).toBe(200);

    testApp.clock.advance(PAST_THE_HOUR);
    expect((await confirmWith(account, { code: firstBackup ?? "" })).status).toBe(401);
    expect((await confirmWith(account, { code: totpCode(secret) })).status).toBe(303);
    expect((await approve(account)).status).toBe(200);
  });

  it("Better Auth's two-factor routes are not served over HTTP (the pages call them under the password limits)", async () => {
    const account = await signUp(testApp);
    const direct = await testApp.postJson(
      "/api/auth/two-factor/verify-totp",
      { code: "123456" },
      { cookie: account.cookie },
    );
    expect(direct.status).toBe(404);
  });
});
