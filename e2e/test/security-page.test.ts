// The security page in real Chromium with the real CLI, as a person meets it:
// two browsers and a terminal signed in, a new password, and what that ends.

import { fitsWidth, PHONE, useBrowser } from "@claudemesh/test-support/browser";
import { useCliHarness } from "@claudemesh/test-support/cli-harness";
import { runCli, startCli } from "@claudemesh/test-support/run-cli";
import { translator } from "claudemesh-server/testing";
import { describe, expect, it } from "vitest";
import { screenshot } from "./support/screenshots.js";

const PASSWORD = "correct horse battery";
const NEW_PASSWORD = "a brand new horse battery";

describe.each(["en", "es"] as const)("the security page, in %s", (locale) => {
  const cli = useCliHarness();
  const browser = useBrowser();
  const t = translator(locale);

  it("lists both browsers, and a new password signs out the other one, the terminal and the PAT made today", async () => {
    const email = `security.${locale}.${Date.now()}@example.test`;
    const first = await (await browser.context(locale)).newPage();
    await first.goto(`${cli.server.url}/register`);
    await first.getByLabel(t("register.name")).fill("Sam Secure");
    await first.getByLabel(t("register.email")).fill(email);
    await first.getByLabel(t("register.password")).fill(PASSWORD);
    await first.getByRole("button", { name: t("register.submit") }).click();
    await first.getByRole("heading", { name: t("tokens.title"), level: 1 }).waitFor();

    // A token for scripts, and a terminal signed in through the device flow.
    await first.getByLabel(t("tokens.new.name")).fill("ci-deploy");
    await first.getByRole("button", { name: t("tokens.new.submit") }).click();
    const pat = await first.locator("#new-token-value").inputValue();
    const login = startCli(["login", "--no-browser"], cli.env);
    const [url = ""] = await login.waitFor(/http:\/\/\S+\/cli-auth\?code=[A-Z]{4}-[A-Z]{4}/);
    await first.goto(url);
    await first.getByRole("button", { name: t("device.enter.submit") }).click();
    await first.getByRole("button", { name: t("device.card.approve") }).click();
    expect((await login.exited).code).toBe(0);

    // A second browser, on a phone.
    const phone = await (await browser.context(locale, PHONE)).newPage();
    await phone.goto(`${cli.server.url}/login`);
    await phone.getByLabel(t("login.email")).fill(email);
    await phone.getByLabel(t("login.password")).fill(PASSWORD);
    await phone.getByRole("button", { name: t("login.submit") }).click();
    await phone.getByRole("heading", { name: t("tokens.title"), level: 1 }).waitFor();

    await first.getByRole("link", { name: t("nav.security") }).click();
    await first.getByRole("heading", { name: t("security.title"), level: 1 }).waitFor();
    const rows = first.getByTestId("browser-session-table").locator("tbody tr");
    expect(await rows.count()).toBe(2);
    expect(await first.locator('tr[data-current="true"]').textContent()).toContain(t("security.sessions.current"));
    expect(await first.getByTestId("pat-count").textContent()).toBe(t("security.tokens.count", { count: "1" }));
    await screenshot(first, `security-${locale}-desktop`);
    await phone.goto(`${cli.server.url}/dashboard/settings/security`);
    await screenshot(phone, `security-${locale}-phone`);
    expect(await fitsWidth(phone)).toBe(true);

    await first.getByLabel(t("security.password.current")).fill(PASSWORD);
    await first.getByLabel(t("security.password.new")).fill(NEW_PASSWORD);
    await first.getByRole("button", { name: t("security.password.submit") }).click();
    await first.getByText(t("security.done.passwordChanged")).waitFor();
    expect(await rows.count()).toBe(1);
    await screenshot(first, `security-password-changed-${locale}-desktop`);

    // The phone is signed out, and so are the terminal and the PAT made in the last 30 days.
    await phone.reload();
    expect(new URL(phone.url()).pathname).toBe("/login");
    const terminal = await runCli(["whoami"], cli.env);
    expect(terminal.code).toBe(2);
    expect(terminal.stderr).toMatch(/revoked/i);
    expect((await runCli(["whoami"], { ...cli.env, CLAUDEMESH_TOKEN: pat })).code).toBe(2);
  });
});
