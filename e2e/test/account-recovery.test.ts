// A way back in, in real Chromium with mail read from a real SMTP server: a
// forgotten password reset through the emailed link, and "this wasn't me" on
// the email about a terminal sign-in someone else approved.

import { useBrowser } from "@claudemesh/test-support/browser";
import { type RunningServer, startClaudemeshServer } from "@claudemesh/test-support/server-process";
import { linkIn, type SmtpInbox, startSmtpInbox } from "@claudemesh/test-support/smtp-inbox";
import { translator } from "claudemesh-server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const PASSWORD = "correct horse battery";
const t = translator("en");

describe("account recovery in the browser", () => {
  const browser = useBrowser();
  let inbox: SmtpInbox;
  let server: RunningServer;
  beforeAll(async () => {
    inbox = await startSmtpInbox();
    server = await startClaudemeshServer({ env: { SMTP_URL: inbox.url } });
  });
  afterAll(async () => {
    await server?.stop();
    await inbox?.close();
  });

  async function register(email: string) {
    const page = await (await browser.context("en")).newPage();
    await page.goto(`${server.url}/register`);
    await page.getByLabel(t("register.name")).fill("Rita Reset");
    await page.getByLabel(t("register.email")).fill(email);
    await page.getByLabel(t("register.password")).fill(PASSWORD);
    await page.getByRole("button", { name: t("register.submit") }).click();
    await page.getByRole("heading", { name: t("tokens.title"), level: 1 }).waitFor();
    return page;
  }

  it("a forgotten password: the link on /login, the email, a new password, and the old browser signed out", async () => {
    const email = `rita.${Date.now()}@example.test`;
    const before = await register(email);

    const page = await (await browser.context("en")).newPage();
    await page.goto(`${server.url}/login`);
    await page.getByRole("link", { name: t("login.forgot") }).click();
    await page.getByLabel(t("forgot.email")).fill(email);
    await page.getByRole("button", { name: t("forgot.submit") }).click();
    await page.getByRole("heading", { name: t("forgot.sent.title") }).waitFor();

    const mail = await inbox.next(email, (message) => message.subject === t("email.reset.subject"));
    await page.goto(linkIn(mail, `${server.url}/reset-password?token=`));
    await page.getByLabel(t("reset.password")).fill("a new horse battery");
    await page.getByRole("button", { name: t("reset.submit") }).click();
    await page.getByRole("heading", { name: t("reset.done.title") }).waitFor();

    await page.getByRole("link", { name: t("reset.done.signIn") }).click();
    await page.getByLabel(t("login.email")).fill(email);
    await page.getByLabel(t("login.password")).fill("a new horse battery");
    await page.getByRole("button", { name: t("login.submit") }).click();
    await page.getByRole("heading", { name: t("tokens.title"), level: 1 }).waitFor();

    await before.reload();
    expect(new URL(before.url()).pathname).toBe("/login");
  });

  it("'this wasn't me' on the email about a terminal sign-in: asks first, then signs it and everything out", async () => {
    const email = `wasnt.${Date.now()}@example.test`;
    const page = await register(email);

    // Someone got the person to approve a code for their terminal.
    const asked = await fetch(`${server.url}/api/auth/cli/device-code`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ device_name: "not-mine", device_os: "linux", device_arch: "x64" }),
    });
    const code = (await asked.json()) as { device_code: string; verification_url_complete: string };
    await page.goto(code.verification_url_complete);
    // The link only fills in the code form; Continue shows the approval card.
    await page.getByRole("button", { name: t("device.enter.submit") }).click();
    await page.getByRole("button", { name: t("device.card.approve") }).click();
    const polled = await fetch(`${server.url}/api/auth/cli/device-code/${code.device_code}`);
    const { token } = (await polled.json()) as { token: string };
    const whoami = async () =>
      (await fetch(`${server.url}/api/my/whoami`, { headers: { authorization: `Bearer ${token}` } })).status;
    expect(await whoami()).toBe(200);

    const mail = await inbox.next(email, (message) => message.text.includes("not-mine"));
    expect(mail.subject).toBe(t("email.notice.cli-session.subject"));
    const alert = await (await browser.context("en")).newPage();
    await alert.goto(linkIn(mail, `${server.url}/security-alert/`));
    await alert.getByRole("heading", { name: t("alert.title") }).waitFor();
    expect(await whoami()).toBe(200);

    await alert.getByRole("button", { name: t("alert.confirm") }).click();
    await alert.getByRole("heading", { name: t("alert.done.title") }).waitFor();
    expect(await whoami()).toBe(401);
    await page.reload();
    expect(new URL(page.url()).pathname).toBe("/login");

    await alert.getByRole("link", { name: t("alert.done.reset") }).click();
    expect(await alert.getByLabel(t("forgot.email")).inputValue()).toBe(email);
  });
});
