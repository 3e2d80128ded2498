import { hostname } from "node:os";
import { storedCredential, storedToken } from "@claudemesh/sdk/testing";
import { fitsWidth, PHONE, useBrowser } from "@claudemesh/test-support/browser";
import { useCliHarness } from "@claudemesh/test-support/cli-harness";
import { useOtherSite } from "@claudemesh/test-support/other-site";
import { runCli, startCli } from "@claudemesh/test-support/run-cli";
import { translator } from "claudemesh-server/testing";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { screenshot } from "./support/screenshots.js";

// One server and one Chromium for the file: each cost seconds to start, and every test
// here makes its own accounts and browser contexts, so nothing carries between tests.
const cli = useCliHarness();
const browser = useBrowser();
let people = 0;

/** Registers a new person through the pages, starting from wherever the browser was sent to sign in. */
async function registerThroughPages(page: Page, t: ReturnType<typeof translator>, name: string) {
  people += 1;
  const email = `e2e${people}.${Date.now()}@example.test`;
  await page.getByRole("link", { name: t("login.register") }).click();
  await page.getByLabel(t("register.name")).fill(name);
  await page.getByLabel(t("register.email")).fill(email);
  await page.getByLabel(t("register.password")).fill("correct horse battery");
  await page.getByRole("button", { name: t("register.submit") }).click();
  return email;
}

/** The code form a link from `claudemesh login` opens: the code is filled in; Continue looks it up. */
async function continueWithCode(page: Page, t: ReturnType<typeof translator>, code: string) {
  await page.getByRole("heading", { name: t("device.enter.title") }).waitFor();
  expect(await page.getByLabel(t("device.enter.label")).inputValue()).toBe(code);
  await page.getByRole("button", { name: t("device.enter.submit") }).click();
}

describe.each(["en", "es"] as const)("the web pages with the real CLI, in %s", (locale) => {
  const t = translator(locale);

  it("signs a terminal in: login --no-browser, register, check the card, approve", async () => {
    const started = Date.now();
    const login = startCli(["login", "--no-browser"], cli.env);
    const [url = ""] = await login.waitFor(/http:\/\/\S+\/cli-auth\?code=[A-Z]{4}-[A-Z]{4}/);
    const code = url.slice(-9);

    const page = await (await browser.context(locale)).newPage();
    await page.goto(url);
    await expect.poll(() => new URL(page.url()).pathname).toBe("/login");
    await screenshot(page, `login-${locale}-desktop`);
    const name = locale === "es" ? "Ada Lovelace (es)" : "Ada Lovelace";
    await page.getByRole("link", { name: t("login.register") }).waitFor();
    const email = await registerThroughPages(page, t, name);

    await page.getByRole("heading", { name: t("device.enter.title") }).waitFor();
    await screenshot(page, `code-confirm-${locale}-desktop`);
    await continueWithCode(page, t, code);
    await page.getByRole("heading", { name: t("device.card.title") }).waitFor();
    expect(await page.getByTestId("user-code").textContent()).toBe(code);
    expect(await page.getByTestId("device").textContent()).toContain(hostname());
    const countdown = page.locator(".countdown");
    const first = await countdown.textContent();
    expect(first).toMatch(/(9|10):\d\d/);
    await expect.poll(() => countdown.textContent(), { timeout: 5000 }).not.toBe(first); // the script counts down
    await screenshot(page, `approval-card-${locale}-desktop`);

    await page.getByRole("button", { name: t("device.card.approve") }).click();
    await page.getByRole("heading", { name: t("device.approved.title") }).waitFor();
    await screenshot(page, `approved-${locale}-desktop`);

    const result = await login.exited;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`Authenticated as ${name}`);
    expect(Date.now() - started).toBeLessThan(30_000); // seed acceptance: under 30 s end to end
    expect(await storedToken(cli.env)).toMatch(/^cm_session_/);

    const whoami = await runCli(["whoami", "--json"], cli.env);
    expect(whoami.code).toBe(0);
    expect(JSON.parse(whoami.stdout)).toMatchObject({ user: { name, email } });
  });

  it("denies: the CLI stops with the denied message and saves nothing", async () => {
    const login = startCli(["login", "--no-browser"], cli.env);
    const [url = ""] = await login.waitFor(/http:\/\/\S+\/cli-auth\?code=[A-Z]{4}-[A-Z]{4}/);
    const page = await (await browser.context(locale)).newPage();
    await page.goto(url);
    await page.getByRole("link", { name: t("login.register") }).waitFor();
    await registerThroughPages(page, t, "Mallory Denied");
    await continueWithCode(page, t, url.slice(-9));
    await page.getByRole("button", { name: t("device.card.deny") }).click();
    await page.getByRole("heading", { name: t("device.denied.title") }).waitFor();
    await screenshot(page, `denied-${locale}-desktop`);

    const result = await login.exited;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/denied/i);
    expect(await storedCredential(cli.env)).toBeNull();
  });

  it("dashboard: a new PAT signs the CLI in, and revoking it there signs it out", async () => {
    const page = await (await browser.context(locale)).newPage();
    await page.goto(`${cli.server.url}/dashboard/settings/cli-tokens`);
    await page.getByRole("link", { name: t("login.register") }).waitFor();
    await registerThroughPages(page, t, "Paty Tokens");
    await page.getByRole("heading", { name: t("tokens.title"), level: 1 }).waitFor();
    await screenshot(page, `cli-tokens-empty-${locale}-desktop`);

    await page.getByLabel(t("tokens.new.name")).fill("ci-deploy");
    await page.getByLabel(t("tokens.new.expiry")).selectOption("30");
    await page.getByRole("button", { name: t("tokens.new.submit") }).click();
    await page.getByText(t("tokens.created.body")).waitFor();
    const token = await page.locator("#new-token-value").inputValue();
    expect(token).toMatch(/^cm_pat_/);
    await page.getByRole("button", { name: t("tokens.created.copy") }).click();
    await page.getByRole("button", { name: t("tokens.created.copied") }).waitFor();
    await screenshot(page, `cli-tokens-created-${locale}-desktop`);
    // The form post redirected here: a reload lists the one token, and mints none.
    await page.reload();
    expect(await page.content()).not.toContain(token);
    expect(await page.getByTestId("pat-table").locator("tbody tr").count()).toBe(1);

    const login = await runCli(["login", "--with-token"], cli.env, token);
    expect(login.code).toBe(0);
    expect(login.stderr).toContain('(via PAT "ci-deploy")');

    await page.goto(`${cli.server.url}/dashboard/settings/cli-tokens`); // shown once: not on the next visit
    expect(await page.content()).not.toContain(token);
    await page.getByRole("link", { name: t("tokens.revokeNamed", { name: "ci-deploy" }) }).click();
    await screenshot(page, `revoke-confirm-${locale}-desktop`);
    await page.getByRole("button", { name: t("tokens.confirm.submit") }).click();
    await page.getByText(t("tokens.done.tokenRevoked")).waitFor();

    const after = await runCli(["whoami"], cli.env);
    expect(after.code).toBe(2);
    expect(after.stderr).toMatch(/revoked/i);
    expect(after.stderr).toContain("claudemesh login");
  });

  it("every page fits a 375 px phone and works from the keyboard", async () => {
    const login = startCli(["login", "--no-browser"], cli.env);
    const [url = ""] = await login.waitFor(/http:\/\/\S+\/cli-auth\?code=[A-Z]{4}-[A-Z]{4}/);
    const page = await (await browser.context(locale, PHONE)).newPage();
    await page.goto(url);
    await page.getByRole("link", { name: t("login.register") }).waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, `login-${locale}-phone`);
    await page.getByRole("link", { name: t("login.register") }).click();
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, `register-${locale}-phone`);
    await page.goBack();
    await registerThroughPages(page, t, "Phoebe Phone");

    // Keyboard only: Continue has the focus on a filled-in form, so Enter looks the code up.
    await page.getByRole("heading", { name: t("device.enter.title") }).waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: t("device.card.title") }).waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, `approval-card-${locale}-phone`);
    // Keyboard only: Tab until Approve has focus, then Enter.
    for (let presses = 0; presses < 20; presses += 1) {
      await page.keyboard.press("Tab");
      if ((await page.evaluate(() => document.activeElement?.textContent)) === t("device.card.approve")) break;
    }
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: t("device.approved.title") }).waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, `approved-${locale}-phone`);
    expect((await login.exited).code).toBe(0);

    await page.goto(`${cli.server.url}/dashboard/settings/cli-tokens`);
    await page.getByLabel(t("tokens.new.name")).fill("phone-token");
    await page.getByRole("button", { name: t("tokens.new.submit") }).click();
    await page.getByText(t("tokens.created.body")).waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, `cli-tokens-${locale}-phone`);

    await page.goto(`${cli.server.url}/cli-auth`);
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, `code-entry-${locale}-phone`);
  });
});

describe("without JavaScript", () => {
  const t = translator("en");

  it("still registers and approves with plain form posts", async () => {
    const login = startCli(["login", "--no-browser"], cli.env);
    const [url = ""] = await login.waitFor(/http:\/\/\S+\/cli-auth\?code=[A-Z]{4}-[A-Z]{4}/);
    const page = await (await browser.context("en", undefined, { javaScriptEnabled: false })).newPage();
    await page.goto(url);
    await page.getByRole("link", { name: t("login.register") }).waitFor();
    await registerThroughPages(page, t, "Nora NoScript");
    await continueWithCode(page, t, url.slice(-9));
    await page.getByRole("button", { name: t("device.card.approve") }).click();
    await page.getByRole("heading", { name: t("device.approved.title") }).waitFor();
    expect((await login.exited).code).toBe(0);
  });
});

describe("links to /cli-auth from another site", () => {
  const t = translator("en");
  // Another site whose page sends its visitor to a link.
  const attacker = useOtherSite(
    (target) => `<!doctype html><title>win a prize</title><a id="go" href="${target}">claim</a>`,
  );

  it("ten cross-site navigations to /cli-auth?code=WRONG spend none of the account's code lookups", async () => {
    const page = await (await browser.context("en")).newPage();
    await page.goto(`${cli.server.url}/login`);
    await registerThroughPages(page, t, "Vic Visited");
    const wrong = `${cli.server.url}/cli-auth?code=BBBB-BBBB`;
    for (let visit = 0; visit < 10; visit += 1) {
      await page.goto(attacker.url(wrong));
      await page.locator("#go").click();
      await page.getByRole("heading", { name: t("device.enter.title") }).waitFor();
      expect(await page.getByLabel(t("device.enter.label")).inputValue()).toBe("BBBB-BBBB");
    }

    // The account's own login still gets its card: before, the ten visits had used up its ten lookups.
    const login = startCli(["login", "--no-browser"], cli.env);
    const [url = ""] = await login.waitFor(/http:\/\/\S+\/cli-auth\?code=[A-Z]{4}-[A-Z]{4}/);
    await page.goto(url);
    await continueWithCode(page, t, url.slice(-9));
    await page.getByRole("button", { name: t("device.card.approve") }).click();
    await page.getByRole("heading", { name: t("device.approved.title") }).waitFor();
    expect((await login.exited).code).toBe(0);
  });
});

describe("browser login (--web) with the real CLI", () => {
  const t = translator("en");

  it("approves on the card, and the browser carries the code back to the CLI's loopback port", async () => {
    const login = startCli(["login", "--web", "--no-browser"], cli.env);
    const [url = ""] = await login.waitFor(/http:\/\/\S+\/cli-auth\/authorize\?\S+/);
    const page = await (await browser.context("en")).newPage();
    await page.goto(url);
    await page.getByRole("link", { name: t("login.register") }).waitFor();
    await registerThroughPages(page, t, "Lena Loopback");
    await page.getByRole("heading", { name: t("device.card.title") }).waitFor();
    expect(await page.getByTestId("device").textContent()).toContain(hostname());
    await screenshot(page, "loopback-card-en-desktop");
    await page.getByRole("button", { name: t("device.card.approve") }).click();

    const result = await login.exited;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("Authenticated as Lena Loopback");
    expect(new URL(page.url()).hostname).toBe("127.0.0.1");
    await screenshot(page, "loopback-done-en-desktop");
    expect(await storedToken(cli.env)).toMatch(/^cm_session_/);
  });
});
