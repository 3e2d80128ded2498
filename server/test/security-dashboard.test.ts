import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, cliToken } from "../src/db/schema.js";
import { SECURITY_PATH } from "../src/pages/security-page.js";
import { deviceLogin } from "./support/device-login.js";
import { pageText as text } from "./support/page-text.js";
import { createTestApp, sessionCookie, signUp, type TestAccount, type TestApp } from "./support/test-app.js";
import { DATABASE_KINDS } from "./support/test-database.js";

const SECRET = randomBytes(32).toString("hex");

describe.each(DATABASE_KINDS)("sessions and the security page on %s", (kind) => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp(kind, { secret: SECRET });
  });
  afterAll(() => testApp.close());

  /** A second browser signed in to the same account. */
  async function secondBrowser(account: TestAccount) {
    const response = await testApp.postJson(
      "/api/auth/sign-in/email",
      { email: account.email, password: account.password },
      { headers: { "user-agent": "Mozilla/5.0 (Windows NT 10.0) Gecko/20100101 Firefox/128.0" } },
    );
    expect(response.status).toBe(200);
    return sessionCookie(response);
  }

  const signedIn = async (cookie: string) =>
    (await (await testApp.get("/api/auth/get-session", { cookie })).json()) !== null;
  const whoami = async (token: string) => (await testApp.get("/api/my/whoami", { token })).status;
  const createPat = async (cookie: string) => {
    const response = await testApp.postJson("/api/my/cli/tokens", { name: "ci" }, { cookie });
    expect(response.status).toBe(201);
    return ((await response.json()) as { token: string }).token;
  };
  /** A PAT made `days` ago (a script's, from before whatever a password change answers). */
  const olderPat = async (cookie: string, days: number) => {
    const response = await testApp.postJson("/api/my/cli/tokens", { name: "old-ci" }, { cookie });
    const { id, token } = (await response.json()) as { id: string; token: string };
    const createdAt = new Date(testApp.clock.now().getTime() - days * 24 * 60 * 60 * 1000);
    await testApp.database.db.update(cliToken).set({ createdAt }).where(eq(cliToken.id, id));
    return token;
  };
  const actions = async (userId: string, action: string) =>
    testApp.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.userId, userId), eq(auditLog.action, action)));

  it.each([
    ["Better Auth's JSON route without revokeOtherSessions", "json", false],
    ["Better Auth's JSON route with revokeOtherSessions", "json", true],
    ["the security page's form", "form", false],
  ])(
    "a new password through %s ends every other browser and CLI session and PATs of the last 30 days, not older ones",
    async (_label, door, revokeOtherSessions) => {
      const account = await signUp(testApp);
      const other = await secondBrowser(account);
      const cliSession = await deviceLogin(testApp, account);
      const recentPat = await createPat(account.cookie);
      const pat = await olderPat(account.cookie, 31);

      const newPassword = "a brand new password";
      const changed =
        door === "json"
          ? await testApp.postJson(
              "/api/auth/change-password",
              { currentPassword: account.password, newPassword, revokeOtherSessions },
              { cookie: account.cookie },
            )
          : await testApp.postForm(
              `${SECURITY_PATH}/password`,
              { current: account.password, password: newPassword },
              { cookie: account.cookie },
            );
      expect(changed.status).toBe(door === "json" ? 200 : 303);

      expect(await signedIn(other)).toBe(false);
      expect(await signedIn(account.cookie)).toBe(true);
      expect(await whoami(cliSession)).toBe(401);
      expect(await whoami(recentPat)).toBe(401);
      expect(await whoami(pat)).toBe(200);
      const [audit] = await actions(account.id, "auth.password.changed");
      expect(audit?.metadata).toEqual({ web_sessions_ended: 1, cli_sessions_ended: 1, pats_ended: 1 });
      expect(await actions(account.id, "auth.web.session.revoked")).toHaveLength(1);

      if (door === "form") {
        // The page says the tokens still work, and one click revokes them.
        const page = await testApp.get(changed.headers.get("location") ?? "", { cookie: account.cookie });
        expect(text(await page.text())).toContain("Personal access tokens still working: 1.");
        const revoked = await testApp.postForm(`${SECURITY_PATH}/tokens/revoke-all`, {}, { cookie: account.cookie });
        expect(revoked.status).toBe(303);
        expect(await whoami(pat)).toBe(401);
        expect(await actions(account.id, "auth.cli.pat.revoked")).toHaveLength(1);
      }
    },
  );

  it("a wrong current password changes nothing and ends nothing", async () => {
    const account = await signUp(testApp);
    const other = await secondBrowser(account);
    const response = await testApp.postForm(
      `${SECURITY_PATH}/password`,
      { current: "not my password", password: "a brand new password" },
      { cookie: account.cookie },
    );
    expect(response.status).toBe(401);
    expect(text(await response.text())).toContain("That is not your current password.");
    expect(await signedIn(other)).toBe(true);
  });

  it("lists browser sessions with this one marked; each can be signed out, or all the others at once", async () => {
    const account = await signUp(testApp);
    const firefox = await secondBrowser(account);
    const third = await secondBrowser(account);

    const page = await testApp.get(SECURITY_PATH, { cookie: account.cookie });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html.match(/<tr data-current="true"/g)).toHaveLength(1);
    expect(text(html)).toContain("Firefox · Windows");
    const ids = [...html.matchAll(/sessions\/([^/"]+)\/revoke/g)].map((match) => match[1]);
    expect(ids).toHaveLength(2);

    const one = await testApp.postForm(`${SECURITY_PATH}/sessions/${ids[0]}/revoke`, {}, { cookie: account.cookie });
    expect(one.headers.get("location")).toBe(`${SECURITY_PATH}?done=session-revoked`);
    expect([await signedIn(firefox), await signedIn(third)].filter(Boolean)).toHaveLength(1);

    const others = await testApp.postForm(`${SECURITY_PATH}/other-sessions/revoke`, {}, { cookie: account.cookie });
    expect(others.headers.get("location")).toBe(`${SECURITY_PATH}?done=others-revoked`);
    expect(await signedIn(firefox)).toBe(false);
    expect(await signedIn(third)).toBe(false);
    expect(await signedIn(account.cookie)).toBe(true);
    expect(await actions(account.id, "auth.web.session.revoked")).toHaveLength(2);
  });

  it("one account cannot end another's browser session", async () => {
    const alice = await signUp(testApp);
    const mallory = await signUp(testApp);
    const aliceOther = await secondBrowser(alice);
    const page = await (await testApp.get(SECURITY_PATH, { cookie: alice.cookie })).text();
    const [aliceOtherId] = [...page.matchAll(/sessions\/([^/"]+)\/revoke/g)].map((match) => match[1]);
    expect(aliceOtherId).toBeTruthy();
    const attempt = await testApp.postForm(
      `${SECURITY_PATH}/sessions/${aliceOtherId}/revoke`,
      {},
      { cookie: mallory.cookie },
    );
    expect(attempt.headers.get("location")).toBe(`${SECURITY_PATH}?done=gone`);
    expect(await signedIn(aliceOther)).toBe(true);
  });

  it.each(["/tokens/revoke-all", "/other-sessions/revoke", "/password"])(
    "refuses %s posted from another site, and changes nothing",
    async (path) => {
      const account = await signUp(testApp);
      const other = await secondBrowser(account);
      const pat = await createPat(account.cookie);
      const response = await testApp.postForm(
        `${SECURITY_PATH}${path}`,
        { current: account.password, password: "a brand new password" },
        { cookie: account.cookie, headers: { origin: "https://evil.example" } },
      );
      expect(response.status).toBe(403);
      expect(await signedIn(other)).toBe(true);
      expect(await whoami(pat)).toBe(200);
    },
  );

  it("records the address the server resolved for a session, never one the client claims", async () => {
    const spoofed = "10.9.9.9";
    const account = await signUp(testApp);
    await testApp.postJson(
      "/api/auth/sign-in/email",
      { email: account.email, password: account.password },
      { headers: { "x-forwarded-for": spoofed, "x-claudemesh-client-address": spoofed } },
    );
    const listed = await (await testApp.get(SECURITY_PATH, { cookie: account.cookie })).text();
    expect(listed).not.toContain(spoofed);

    // Behind one trusted proxy, the proxy's entry is the one recorded.
    const behindProxy = await createTestApp(kind, {
      database: testApp.database,
      trustedProxies: 1,
      secret: SECRET,
    });
    await behindProxy.postJson(
      "/api/auth/sign-in/email",
      { email: account.email, password: account.password },
      { headers: { "x-forwarded-for": `${spoofed}, 198.51.100.7` } },
    );
    const page = await (await behindProxy.get(SECURITY_PATH, { cookie: account.cookie })).text();
    expect(page).toContain("198.51.100.7");
    expect(page).not.toContain(spoofed);
  });

  it.each(["Ada\u001b]0;owned\u0007", "Ada\r\n✔ admin", "Ada\u202egnp.exe", "x".repeat(101)])(
    "refuses the user name %j at sign-up and on profile updates",
    async (name) => {
      const signUpAnswer = await testApp.postJson("/api/auth/sign-up/email", {
        name,
        email: `hostile.${Date.now()}.${Math.random()}@example.test`,
        password: "correct horse battery",
      });
      expect(signUpAnswer.status).toBe(400);
      expect(await signUpAnswer.json()).toMatchObject({ error: "invalid_name" });

      const form = await testApp.postForm("/register", {
        name,
        email: `hostile.form.${Date.now()}@example.test`,
        password: "correct horse battery",
      });
      expect(form.status).toBe(400);

      const account = await signUp(testApp);
      const update = await testApp.postJson("/api/auth/update-user", { name }, { cookie: account.cookie });
      expect(update.status).toBe(400);
      const session = (await (await testApp.get("/api/auth/get-session", { cookie: account.cookie })).json()) as {
        user: { name: string };
      };
      expect(session.user.name).toBe(account.name);
    },
  );
});
