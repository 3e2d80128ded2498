// Two-factor authentication, passkeys and "Confirm it's you" in real Chromium:
// an authenticator app played by the test (RFC 6238 from the shown key), and
// passkeys on Chromium's virtual authenticator (CDP WebAuthn). The server runs
// on a throwaway Postgres so a test can age a session past the step-up hour.

import { DESKTOP, fitsWidth, PHONE, useBrowser } from "@claudemesh/test-support/browser";
import { freePort } from "@claudemesh/test-support/free-port";
import { type RunningServer, startClaudemeshServer } from "@claudemesh/test-support/server-process";
import { psql, startThrowawayPostgres, type ThrowawayPostgres } from "@claudemesh/test-support/throwaway-postgres";
import { totpCode } from "@claudemesh/test-support/totp";
import { translator } from "claudemesh-server/testing";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { screenshot } from "./support/screenshots.js";

const PASSWORD = "correct horse battery";
const TOKENS = "/dashboard/settings/cli-tokens";
const SECURITY = "/dashboard/settings/security";

let postgres: ThrowawayPostgres;
let server: RunningServer;
let origin: string;

beforeAll(async () => {
  postgres = await startThrowawayPostgres();
  // WebAuthn takes a host name, not an IP address, as the relying party: localhost.
  const port = await freePort();
  origin = `http://localhost:${port}`;
  server = await startClaudemeshServer({ databaseUrl: postgres.url, publicUrl: origin, env: { PORT: String(port) } });
}, 120_000);
afterAll(async () => {
  await server?.stop();
  await postgres?.stop();
});

/** As if an hour and more had passed since this account's browsers last proved who they are. */
async function ageSessions(email: string) {
  await psql(
    postgres.url,
    `update session set authenticated_at = now() - interval '2 hours', created_at = now() - interval '2 hours'
     where user_id = (select id from "user" where email = '${email.replaceAll("'", "''")}')`,
  );
}

let people = 0;

/** Each test is a whole story (sign-up, set-up, sign-ins, step-ups): generous on a loaded machine. */
const STORY_TIMEOUT_MS = 240_000;

describe.each(["en", "es"] as const)("second factors and step-up, in %s", (locale) => {
  const browser = useBrowser();
  const t = translator(locale);

  async function register(context: BrowserContext, name: string) {
    people += 1;
    const email = `factors${people}.${locale}.${Date.now()}@example.test`;
    const page = await context.newPage();
    await page.goto(`${origin}/register`);
    await page.getByLabel(t("register.name")).fill(name);
    await page.getByLabel(t("register.email")).fill(email);
    await page.getByLabel(t("register.password")).fill(PASSWORD);
    await page.getByRole("button", { name: t("register.submit") }).click();
    await page.getByRole("heading", { name: t("tokens.title"), level: 1 }).waitFor();
    return { page, email };
  }

  /** Makes a token on the tokens page; after a step-up the page is back where the form is. */
  async function createToken(page: Page, name: string) {
    await page.getByLabel(t("tokens.new.name")).fill(name);
    await page.getByRole("button", { name: t("tokens.new.submit") }).click();
  }

  it(
    "TOTP: set up from the shown key, sign in with a code or a backup code (once), and confirm it's you with it",
    async () => {
      const { page, email } = await register(await browser.context(locale), "Tess Totp");
      await page.goto(`${origin}${SECURITY}`);
      await page.getByLabel(t("security.twoFactor.passwordLabel")).fill(PASSWORD);
      await page.getByRole("button", { name: t("security.twoFactor.enable") }).click();
      await page.getByRole("heading", { name: t("security.twoFactor.setup.title"), level: 1 }).waitFor();
      const secret = (await page.getByTestId("totp-secret").textContent()) ?? "";
      const backupCodes = await page.getByTestId("backup-codes").locator("code").allTextContents();
      expect(backupCodes.length).toBeGreaterThanOrEqual(8);
      await screenshot(page, `two-factor-setup-${locale}-desktop`);
      await page.setViewportSize(PHONE);
      await screenshot(page, `two-factor-setup-${locale}-phone`);
      expect(await fitsWidth(page)).toBe(true);
      await page.setViewportSize(DESKTOP);
      await page.getByLabel(t("security.twoFactor.setup.code")).fill(totpCode(secret));
      await page.getByRole("button", { name: t("security.twoFactor.setup.submit") }).click();
      await page.getByText(t("security.done.twoFactorOn")).waitFor();
      expect(await page.getByTestId("two-factor-status").textContent()).toBe(t("security.twoFactor.on"));

      // Another browser: the password alone is not enough.
      const phone = await (await browser.context(locale, PHONE)).newPage();
      const startSignIn = async () => {
        await phone.goto(`${origin}/login`);
        await phone.getByLabel(t("login.email")).fill(email);
        await phone.getByLabel(t("login.password")).fill(PASSWORD);
        await phone.getByRole("button", { name: t("login.submit") }).click();
        await phone.getByRole("heading", { name: t("twoFactor.signIn.title"), level: 1 }).waitFor();
      };
      const signIn = async (code: string) => {
        await startSignIn();
        await phone.getByLabel(t("twoFactor.signIn.code")).fill(code);
        await phone.getByRole("button", { name: t("twoFactor.signIn.submit") }).click();
      };
      await startSignIn();
      expect(new URL(phone.url()).pathname).toBe("/login/two-factor");
      expect((await phone.context().cookies()).some((cookie) => cookie.name.includes("session_token"))).toBe(false);
      await screenshot(phone, `two-factor-sign-in-${locale}-phone`);
      expect(await fitsWidth(phone)).toBe(true);

      const [backup = ""] = backupCodes;
      await phone.getByLabel(t("twoFactor.signIn.code")).fill(backup);
      await phone.getByRole("button", { name: t("twoFactor.signIn.submit") }).click();
      await phone.getByRole("heading", { name: t("tokens.title"), level: 1 }).waitFor();

      // A backup code works once.
      await phone.context().clearCookies();
      await signIn(backup);
      await phone.getByText(t("twoFactor.signIn.invalid")).waitFor();
      await phone.getByLabel(t("twoFactor.signIn.code")).fill(totpCode(secret));
      await phone.getByRole("button", { name: t("twoFactor.signIn.submit") }).click();
      await phone.getByRole("heading", { name: t("tokens.title"), level: 1 }).waitFor();

      // An hour on, a token needs the code again, not the password.
      await ageSessions(email);
      await phone.goto(`${origin}${TOKENS}`);
      await createToken(phone, "after-an-hour");
      await phone.getByRole("heading", { name: t("confirm.title"), level: 1 }).waitFor();
      expect(await phone.getByLabel(t("confirm.password")).count()).toBe(0);
      await screenshot(phone, `confirm-totp-${locale}-phone`);
      expect(await fitsWidth(phone)).toBe(true);
      await phone.getByLabel(t("confirm.code")).fill(backup);
      await phone.getByRole("button", { name: t("confirm.submit") }).click();
      await phone.getByText(t("confirm.wrongCode")).waitFor();
      await phone.getByLabel(t("confirm.code")).fill(totpCode(secret));
      await phone.getByRole("button", { name: t("confirm.submit") }).click();
      await phone.getByRole("heading", { name: t("tokens.title"), level: 1 }).waitFor();
      await createToken(phone, "after-an-hour");
      expect(await phone.locator("#new-token-value").inputValue()).toMatch(/^cm_pat_/);

      // Turning it off needs the same.
      await ageSessions(email);
      await page.goto(`${origin}${SECURITY}`);
      await page.getByLabel(t("security.twoFactor.passwordLabel")).fill(PASSWORD);
      await page.getByRole("button", { name: t("security.twoFactor.disable") }).click();
      await page.getByRole("heading", { name: t("confirm.title"), level: 1 }).waitFor();
      await screenshot(page, `confirm-totp-${locale}-desktop`);
      await page.getByLabel(t("confirm.code")).fill(backupCodes[1] ?? "");
      await page.getByRole("button", { name: t("confirm.submit") }).click();
      await page.getByRole("heading", { name: t("security.title"), level: 1 }).waitFor();
      await page.getByLabel(t("security.twoFactor.passwordLabel")).fill(PASSWORD);
      await page.getByRole("button", { name: t("security.twoFactor.disable") }).click();
      await page.getByText(t("security.done.twoFactorOff")).waitFor();
    },
    STORY_TIMEOUT_MS,
  );

  it(
    "passkeys: add one on Chromium's virtual authenticator, sign in with it, and confirm it's you with it",
    async () => {
      const context = await browser.context(locale, DESKTOP);
      const { page, email } = await register(context, "Pat Passkey");
      const cdp = await context.newCDPSession(page);
      await cdp.send("WebAuthn.enable");
      await cdp.send("WebAuthn.addVirtualAuthenticator", {
        options: {
          protocol: "ctap2",
          transport: "internal",
          hasResidentKey: true,
          hasUserVerification: true,
          isUserVerified: true,
          automaticPresenceSimulation: true,
        },
      });

      // Adding one an hour after signing in asks to confirm it's you (with the password: no passkey yet).
      await ageSessions(email);
      await page.goto(`${origin}${SECURITY}`);
      await page.getByLabel(t("security.passkeys.name")).fill("Laptop");
      await page.getByRole("button", { name: t("security.passkeys.add") }).click();
      await page.getByRole("heading", { name: t("confirm.title"), level: 1 }).waitFor();
      await screenshot(page, `confirm-password-${locale}-desktop`);
      await page.getByLabel(t("confirm.password")).fill(PASSWORD);
      await page.getByRole("button", { name: t("confirm.submit") }).click();
      await page.getByRole("heading", { name: t("security.title"), level: 1 }).waitFor();
      await page.getByLabel(t("security.passkeys.name")).fill("Laptop");
      await page.getByRole("button", { name: t("security.passkeys.add") }).click();
      await page.getByText(t("security.done.passkeyAdded")).waitFor();
      expect(await page.getByTestId("passkey-list").textContent()).toContain("Laptop");
      await screenshot(page, `security-passkey-${locale}-desktop`);
      await page.setViewportSize(PHONE);
      await screenshot(page, `security-passkey-${locale}-phone`);
      expect(await fitsWidth(page)).toBe(true);
      await page.setViewportSize(DESKTOP);

      // Signed in again with the password alone (what a phisher has), nothing that matters goes through
      // before the passkey: the token waits for "Confirm it's you", which offers no password.
      await page.getByRole("button", { name: t("nav.signOut") }).click();
      await page.waitForURL((url) => url.pathname === "/login");
      await page.getByLabel(t("login.email")).fill(email);
      await page.getByLabel(t("login.password")).fill(PASSWORD);
      await page.getByRole("button", { name: t("login.submit") }).click();
      await page.getByRole("heading", { name: t("tokens.title"), level: 1 }).waitFor();
      await createToken(page, "password-only");
      await page.getByRole("heading", { name: t("confirm.title"), level: 1 }).waitFor();
      expect(await page.getByLabel(t("confirm.password")).count()).toBe(0);
      await page.getByRole("button", { name: t("confirm.passkey") }).click();
      await page.getByRole("heading", { name: t("tokens.title"), level: 1 }).waitFor();
      await createToken(page, "password-only");
      expect(await page.locator("#new-token-value").inputValue()).toMatch(/^cm_pat_/);

      // Signed out, the passkey signs in without a password, and gives a browser that never signed in
      // before the device cookie that keeps its owner clear of the password back-off (device-cookies.ts).
      await page.getByRole("button", { name: t("nav.signOut") }).click();
      await page.waitForURL((url) => url.pathname === "/login");
      await context.clearCookies({ name: /^claudemesh_device_/ });
      await screenshot(page, `login-passkey-${locale}-desktop`);
      await page.getByRole("button", { name: t("login.passkey") }).click();
      await page.getByRole("heading", { name: t("tokens.title"), level: 1 }).waitFor();
      const cookieNames = (await context.cookies()).map((cookie) => cookie.name);
      expect(cookieNames.filter((name) => name.startsWith("claudemesh_device_"))).toHaveLength(1);

      // An hour on, the passkey is what confirms it's you.
      await ageSessions(email);
      await createToken(page, "with-a-passkey");
      await page.getByRole("heading", { name: t("confirm.title"), level: 1 }).waitFor();
      expect(await page.getByLabel(t("confirm.password")).count()).toBe(0);
      await screenshot(page, `confirm-passkey-${locale}-desktop`);
      await page.setViewportSize(PHONE);
      await screenshot(page, `confirm-passkey-${locale}-phone`);
      expect(await fitsWidth(page)).toBe(true);
      await page.getByRole("button", { name: t("confirm.passkey") }).click();
      await page.getByRole("heading", { name: t("tokens.title"), level: 1 }).waitFor();
      await createToken(page, "with-a-passkey");
      expect(await page.locator("#new-token-value").inputValue()).toMatch(/^cm_pat_/);
    },
    STORY_TIMEOUT_MS,
  );
});
