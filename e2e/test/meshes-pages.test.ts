// Meshes on the web, in real Chromium with the real CLI: a mesh made with
// `claudemesh create` is on the dashboard (seed 003), its page lists members,
// and an owner makes an invite link (shown once), sees it pending, and
// withdraws it, after which the link no longer works.

import { fitsWidth, PHONE, useBrowser } from "@claudemesh/test-support/browser";
import { useCliHarness } from "@claudemesh/test-support/cli-harness";
import { runCli } from "@claudemesh/test-support/run-cli";
import { translator } from "claudemesh-server/testing";
import { describe, expect, it } from "vitest";
import { screenshot } from "./support/screenshots.js";

describe.each(["en", "es"] as const)("meshes on the web, in %s", (locale) => {
  const cli = useCliHarness();
  const browser = useBrowser();
  const t = translator(locale);

  // A long walk (two sign-ups, a token, three CLI runs, two browsers): alone about 20 s, with
  // no step waiting on a timer; the whole suite on a loaded machine took it past the default 60 s.
  it("shows the CLI's mesh, makes a link once, and withdraws it", { timeout: 120_000 }, async () => {
    const page = await (await browser.context(locale)).newPage();
    await page.goto(`${cli.server.url}/register`);
    await page.getByLabel(t("register.name")).fill("Mona Mesh");
    await page.getByLabel(t("register.email")).fill(`meshes.${locale}.${Date.now()}@example.test`);
    await page.getByLabel(t("register.password")).fill("correct horse battery");
    await page.getByRole("button", { name: t("register.submit") }).click();
    await page.getByRole("heading", { name: t("tokens.title"), level: 1 }).waitFor();

    await page.getByRole("link", { name: t("nav.meshes") }).click();
    await page.getByRole("heading", { name: t("meshes.title"), level: 1 }).waitFor();
    await screenshot(page, `meshes-empty-${locale}-desktop`);

    // The terminal makes the mesh, with a token from this dashboard.
    await page.goto(`${cli.server.url}/dashboard/settings/cli-tokens`);
    await page.getByLabel(t("tokens.new.name")).fill("laptop");
    await page.getByRole("button", { name: t("tokens.new.submit") }).click();
    const token = await page.locator("#new-token-value").inputValue();
    const created = await runCli(["create", "Web Team", "--token", token], cli.env);
    expect(created.code).toBe(0);

    await page.goto(`${cli.server.url}/dashboard/meshes`);
    const row = page.getByTestId("mesh-table").locator("tbody tr");
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain("Web Team");
    await screenshot(page, `meshes-${locale}-desktop`);
    await page.getByRole("link", { name: "Web Team" }).click();
    await page.getByRole("heading", { name: /Web Team/, level: 1 }).waitFor();
    expect(await page.getByTestId("member-table").textContent()).toContain("Mona Mesh");

    await page.getByLabel(t("mesh.new.role")).selectOption("admin");
    await page.getByRole("button", { name: t("mesh.new.submit") }).click();
    await page.getByTestId("new-invite").waitFor();
    const link = await page.locator("#new-invite-url").inputValue();
    expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
    await screenshot(page, `mesh-invite-created-${locale}-desktop`);

    // Shown once: a reload lists it as pending and makes no second link.
    await page.reload();
    expect(await page.content()).not.toContain(link);
    expect(await page.getByTestId("invite-table").locator("tbody tr").count()).toBe(1);

    const phone = await (await browser.context(locale, PHONE)).newPage();
    await phone.context().addCookies(await page.context().cookies());
    await phone.goto(page.url());
    await screenshot(phone, `mesh-${locale}-phone`);
    expect(await fitsWidth(phone)).toBe(true);
    await phone.goto(`${cli.server.url}/dashboard/meshes`);
    expect(await fitsWidth(phone)).toBe(true);
    await screenshot(phone, `meshes-${locale}-phone`);

    await page.getByRole("button", { name: t("mesh.invites.revokeNamed", { who: t("mesh.invites.anyone") }) }).click();
    await page.getByText(t("mesh.done.revoked")).waitFor();
    expect(await page.getByTestId("invite-table").count()).toBe(0);

    // The withdrawn link: the page says so, and `claudemesh join` exits 1 with the reason.
    const guest = await (await browser.context(locale)).newPage();
    const other = await cli.server.signUp("Gail Guest");
    await guest.context().addCookies(
      other.cookie.split("; ").map((pair) => {
        const [name = "", ...value] = pair.split("=");
        return { name, value: value.join("="), url: cli.server.url };
      }),
    );
    await guest.goto(link);
    await guest.getByRole("heading", { name: t("invite.revoked.title") }).waitFor();
    const pat = await cli.server.createPat(other.cookie, "guest");
    const joined = await runCli(["join", link, "--token", pat.token], cli.env);
    expect(joined.code).toBe(1);
    expect(joined.stderr).toContain("withdrawn");
  });
});
