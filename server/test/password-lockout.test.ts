import { deviceCookieOf } from "@claudemesh/test-support/password-snipe";
import { totpCode } from "@claudemesh/test-support/totp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tarpitDelayMs } from "../src/accounts/password-attempts.js";
import { PASSWORD_TARPIT, RATE_LIMITS } from "../src/limits/rate-limits.js";
import { createTestApp, sessionCookie, signUp, type TestAccount, type TestApp } from "./support/test-app.js";
import { turnOnTotp } from "./support/two-factor.js";

// Wrong passwords slow the guesser down without shutting the owner out: a
// browser that signed in before carries a device cookie that skips the
// account's back-off, and refused answers are held back per address (the tarpit).
// Two instances on Postgres: hardening/test/password-snipe.test.ts.
describe("password limits that slow, not stop", { timeout: 180_000 }, () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp("pglite", { trustedProxies: 1 });
  });
  afterAll(() => testApp.close());

  let addresses = 0;
  const newAddress = () => `198.51.100.${++addresses}`;
  const from = (address: string) => ({ "x-forwarded-for": address });

  const signIn = (account: TestAccount, password: string, address: string, cookie?: string) =>
    testApp.postJson(
      "/api/auth/sign-in/email",
      { email: account.email, password },
      { headers: from(address), ...(cookie ? { cookie } : {}) },
    );

  /** Wrong passwords from as many addresses as it takes to put the account's untrusted door into its back-off. */
  async function besiege(account: TestAccount) {
    for (let i = 0; i <= RATE_LIMITS.passwordPerAccount.backoff.after; i += 1) {
      await signIn(account, `guess ${i}`, newAddress());
    }
    expect((await signIn(account, account.password, newAddress())).status).toBe(429);
  }

  it("a sign-in gives the browser a device cookie: HttpOnly, SameSite=Lax, signed, for a year", async () => {
    const account = await signUp(testApp);
    const json = await signIn(account, account.password, newAddress());
    expect(json.status).toBe(200);
    const [line = ""] = json.headers.getSetCookie().filter((cookie) => cookie.startsWith("claudemesh_device_"));
    expect(line).toMatch(/; Max-Age=31536000/);
    expect(line).toMatch(/; HttpOnly/);
    expect(line).toMatch(/; SameSite=Lax/);
    expect(line).toMatch(/; Path=\//);

    const form = await testApp.postForm(
      "/login",
      { email: account.email, password: account.password },
      { headers: from(newAddress()) },
    );
    expect(form.status).toBe(303);
    expect(deviceCookieOf(form)).toMatch(/^claudemesh_device_/);
    // A wrong password is given none.
    expect(deviceCookieOf(await signIn(account, "wrong password", newAddress()))).toBe("");
  });

  it("while the account's back-off holds, the browser with its device cookie signs in and others wait", async () => {
    const account = await signUp(testApp);
    const device = deviceCookieOf(await signIn(account, account.password, newAddress()));
    await besiege(account);

    expect((await signIn(account, account.password, newAddress(), device)).status).toBe(200);
    // Through the web form too, and from an address the attackers used.
    const form = await testApp.postForm(
      "/login",
      { email: account.email, password: account.password },
      { cookie: device, headers: from(`198.51.100.${addresses}`) },
    );
    expect(form.status).toBe(303);
  });

  it("an account with TOTP: the browser that signed in with password and code keeps a device cookie, and with it signs in while the back-off holds", async () => {
    const { account, secret } = await turnOnTotp(testApp, await signUp(testApp));
    const passwordStep = (address: string, cookie?: string) =>
      testApp.postForm(
        "/login",
        { email: account.email, password: account.password },
        { headers: from(address), ...(cookie ? { cookie } : {}) },
      );
    // A new browser: the password, then the code on /login/two-factor.
    const firstStep = await passwordStep(newAddress());
    expect(firstStep.headers.get("location")).toMatch(/^\/login\/two-factor/);
    const codeStep = await testApp.postForm(
      "/login/two-factor",
      { code: totpCode(secret) },
      { cookie: sessionCookie(firstStep), headers: from(newAddress()) },
    );
    expect(codeStep.status).toBe(303);
    expect(codeStep.headers.getSetCookie().some((line) => line.includes("session_token="))).toBe(true);
    const device = deviceCookieOf(firstStep) || deviceCookieOf(codeStep);
    expect(device).toMatch(/^claudemesh_device_/);

    await besiege(account);
    expect((await passwordStep(newAddress())).status).toBe(429);
    const again = await passwordStep(newAddress(), device);
    expect(again.status).toBe(303);
    expect(again.headers.get("location")).toMatch(/^\/login\/two-factor/);
  });

  it("a device cookie of another account, or one with a forged signature, counts for nothing", async () => {
    const [owner, other] = [await signUp(testApp), await signUp(testApp)];
    const othersDevice = deviceCookieOf(await signIn(other, other.password, newAddress()));
    const ownDevice = deviceCookieOf(await signIn(owner, owner.password, newAddress()));
    await besiege(owner);

    // The other account's cookie under this account's name: the signature binds the user id.
    const ownName = ownDevice.split("=")[0] ?? "";
    const renamed = `${ownName}=${othersDevice.slice(othersDevice.indexOf("=") + 1)}`;
    expect((await signIn(owner, owner.password, newAddress(), renamed)).status).toBe(429);
    const forged = `${ownDevice.slice(0, -6)}AAAAAA`;
    expect((await signIn(owner, owner.password, newAddress(), forged)).status).toBe(429);
    expect((await signIn(owner, owner.password, newAddress(), ownDevice)).status).toBe(200);
  });

  it(`a device cookie that fails ${RATE_LIMITS.passwordPerDevice.limit} times is locked out itself`, async () => {
    const account = await signUp(testApp);
    const device = deviceCookieOf(await signIn(account, account.password, newAddress()));
    const address = newAddress();
    for (let i = 0; i < RATE_LIMITS.passwordPerDevice.limit; i += 1) {
      expect((await signIn(account, `guess ${i}`, address, device)).status).toBe(401);
    }
    await besiege(account);
    // Used up: the browser meets the account's limits like any other, and the back-off refuses it.
    expect((await signIn(account, account.password, newAddress(), device)).status).toBe(429);
  });

  it("refused and wrong passwords are answered late, the wait growing per address up to its cap; the right one at once", async () => {
    const account = await signUp(testApp);
    const guesser = newAddress();
    testApp.tarpitWaits.length = 0;
    const attempts = RATE_LIMITS.passwordPerAccountAndAddress.limit + 3;
    for (let i = 0; i < attempts; i += 1) await signIn(account, `guess ${i}`, guesser);
    const expected = Array.from({ length: attempts }, (_, i) =>
      Math.min(PASSWORD_TARPIT.firstDelayMs * 2 ** i, PASSWORD_TARPIT.maxDelayMs),
    );
    expect(testApp.tarpitWaits).toEqual(expected);
    expect(Math.max(...testApp.tarpitWaits)).toBe(PASSWORD_TARPIT.maxDelayMs);

    testApp.tarpitWaits.length = 0;
    expect((await signIn(account, account.password, newAddress())).status).toBe(200);
    expect(testApp.tarpitWaits).toEqual([]);
    // Another address's first wrong password waits the first step, not the guesser's.
    await signIn(account, "a typo", newAddress());
    expect(testApp.tarpitWaits).toEqual([PASSWORD_TARPIT.firstDelayMs]);
    expect(tarpitDelayMs(1000)).toBe(PASSWORD_TARPIT.maxDelayMs);
  });
});
