// Meshes on the web, in real Chromium with the real CLI: a mesh made with
// `claudemesh create` is on the dashboard (seed 003), its page lists members,
// and an owner makes an invite link (shown once), sees it pending, and
// withdraws it, after which the link no longer works; a member who is connected
// to the broker shows as online, and the viewer blocks and unblocks them.

import { brokerPath } from "@claudemesh/sdk/contracts";
import { fitsWidth, PHONE, useBrowser } from "@claudemesh/test-support/browser";
import { useCliHarness } from "@claudemesh/test-support/cli-harness";
import { runCli } from "@claudemesh/test-support/run-cli";
import { translator } from "claudemesh-server/testing";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { screenshot } from "./support/screenshots.js";

/** A call to the JSON API with a bearer token, as a terminal makes it. */
async function api(url: string, token: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(new URL(path, url), {
    method: body === undefined ? "GET" : "POST",
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** A peer connected to the broker (a raw socket saying hello), once the broker has welcomed it. */
async function connectedPeer(url: string, token: string, mesh: string): Promise<WebSocket> {
  const socket = new WebSocket(new URL(brokerPath(mesh), url.replace(/^http/, "ws")), {
    headers: { authorization: `Bearer ${token}` },
  });
  await new Promise((resolve, reject) => {
    socket.once("error", reject);
    socket.once("open", resolve);
  });
  const welcomed = new Promise<void>((resolve, reject) => {
    socket.on("message", (data) => {
      const frame = JSON.parse(data.toString()) as { type: string };
      if (frame.type === "welcome") resolve();
      else if (frame.type === "error") reject(new Error(data.toString()));
    });
  });
  socket.send(
    JSON.stringify({ type: "hello", session_id: "bo-session-1", kind: "claude-code", display_name: "Bo's laptop" }),
  );
  await welcomed;
  return socket;
}

describe.each(["en", "es"] as const)("meshes on the web, in %s", (locale) => {
  const cli = useCliHarness();
  const browser = useBrowser();
  const t = translator(locale);

  /** A new account registered in the browser, on its dashboard. */
  async function registered(name: string): Promise<Page> {
    const page = await (await browser.context(locale)).newPage();
    await page.goto(`${cli.server.url}/register`);
    await page.getByLabel(t("register.name")).fill(name);
    await page.getByLabel(t("register.email")).fill(`meshes.${locale}.${Date.now()}@example.test`);
    await page.getByLabel(t("register.password")).fill("correct horse battery");
    await page.getByRole("button", { name: t("register.submit") }).click();
    await page.getByRole("heading", { name: t("tokens.title"), level: 1 }).waitFor();
    return page;
  }

  /** An access token made on the dashboard, as a person would make one for their terminal. */
  async function tokenFrom(page: Page): Promise<string> {
    await page.goto(`${cli.server.url}/dashboard/settings/cli-tokens`);
    await page.getByLabel(t("tokens.new.name")).fill("laptop");
    await page.getByRole("button", { name: t("tokens.new.submit") }).click();
    return page.locator("#new-token-value").inputValue();
  }

  // A long walk (two sign-ups, a token, three CLI runs, two browsers): alone about 20 s, with
  // no step waiting on a timer; the whole suite on a loaded machine took it past the default 60 s.
  it("shows the CLI's mesh, makes a link once, and withdraws it", { timeout: 120_000 }, async () => {
    const page = await registered("Mona Mesh");

    await page.getByRole("link", { name: t("nav.meshes") }).click();
    await page.getByRole("heading", { name: t("meshes.title"), level: 1 }).waitFor();
    await screenshot(page, `meshes-empty-${locale}-desktop`);

    // The terminal makes the mesh, with a token from this dashboard.
    const token = await tokenFrom(page);
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

  it("shows a connected member online and blocks and unblocks them", { timeout: 120_000 }, async () => {
    const page = await registered("Olga Owner");
    const token = await tokenFrom(page);
    expect((await runCli(["create", "Live Team", "--token", token], cli.env)).code).toBe(0);
    const { meshes } = (await api(cli.server.url, token, "/api/my/meshes")) as { meshes: { slug: string }[] };
    const slug = meshes[0]?.slug ?? "";
    const grants = () => api(cli.server.url, token, `/api/my/meshes/${slug}/grants`);

    // A second account joins and connects to the broker, as a launched Claude Code would.
    const bo = await cli.server.signUp("Bo Peer");
    const boToken = (await cli.server.createPat(bo.cookie, "bo")).token;
    const invite = (await api(cli.server.url, token, `/api/my/meshes/${slug}/invites`, {})) as { url: string };
    await api(cli.server.url, boToken, `/api/invites/${invite.url.split("/invite/")[1] ?? ""}/accept`, {});
    const boId = ((await api(cli.server.url, boToken, "/api/my/whoami")) as { user: { id: string } }).user.id;
    const online = await connectedPeer(cli.server.url, boToken, slug);
    try {
      await page.goto(`${cli.server.url}/dashboard/meshes/${slug}`);
      const boRow = page.locator(`tr[data-member="${boId}"]`);
      expect(await boRow.locator(`td[data-label="${t("mesh.col.presence")}"]`).textContent()).toBe(
        t("mesh.presence.online"),
      );
      expect(await boRow.locator(`td[data-label="${t("mesh.col.grant")}"]`).textContent()).toBe(
        t("mesh.grant.allowed"),
      );
      const ownRow = page.getByTestId("member-table").locator("tbody tr").first();
      expect(await ownRow.textContent()).toContain(t("mesh.grant.you"));
      await screenshot(page, `mesh-members-online-${locale}-desktop`);

      await page.getByRole("button", { name: t("mesh.grant.blockNamed", { who: "Bo Peer" }) }).click();
      await page.getByText(t("mesh.done.blocked")).waitFor();
      expect(await boRow.locator(`td[data-label="${t("mesh.col.grant")}"]`).textContent()).toBe(
        t("mesh.grant.blocked"),
      );
      expect(await grants()).toEqual({ peers: { [boId]: [] } });
      await screenshot(page, `mesh-member-blocked-${locale}-desktop`);

      const phone = await (await browser.context(locale, PHONE)).newPage();
      await phone.context().addCookies(await page.context().cookies());
      await phone.goto(`${cli.server.url}/dashboard/meshes/${slug}`);
      expect(await fitsWidth(phone)).toBe(true);
      await screenshot(phone, `mesh-member-blocked-${locale}-phone`);

      await page.getByRole("button", { name: t("mesh.grant.unblockNamed", { who: "Bo Peer" }) }).click();
      await page.getByText(t("mesh.done.unblocked")).waitFor();
      expect(await grants()).toEqual({ peers: {} });
    } finally {
      online.close();
    }
  });
});
