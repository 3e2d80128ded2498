// The extension in a real VS Code extension host: npm's code-server (VS Code's
// server + web workbench), driven through Debian's Chromium. Set-up is cached
// outside the repository (setup-code-server.sh); the first run compiles
// code-server's native modules (~3 min), later runs start in seconds.
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ApiClient, inviteSecretFrom, MeshConnection, TOKEN_SCAN_REGEX } from "@claudemesh/sdk";
import { storedCredential } from "@claudemesh/sdk/testing";
import { launchChromium } from "@claudemesh/test-support/chromium";
import { type RunningCodeServer, setUpCodeServer, startCodeServer } from "@claudemesh/test-support/code-server";
import { freePort } from "@claudemesh/test-support/free-port";
import { type RunningServer, startClaudemeshServer } from "@claudemesh/test-support/server-process";
import { suiteKeyringEnv } from "@claudemesh/test-support/suite-keyring";
import { packageVsix } from "@claudemesh/test-support/vsix";
import { CLI_BUNDLE } from "@claudemesh/test-support/workspace";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const EXTENSION = fileURLToPath(new URL("../..", import.meta.url));
const SHOTS = join(HERE, "artifacts");
/** The platform package for this machine: the one a person here installs, with this machine's keychain module. */
const TARGET = `${process.platform}-${process.arch}`;

describe("in a real VS Code (code-server)", () => {
  let server: RunningServer;
  let codeServer: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let scratch = "";
  let configDir = "";
  let userData = "";
  /** Where the companion writes the in-host suite's results. */
  let suiteResults = "";
  /** Where browsers, the CLI and the extension reach the server: the machine's name, which code-server's link proxy leaves alone. */
  let apiUrl = "";
  const account = { name: "Vera Code", cookie: "", email: "" };
  const startup = { name: "Stella Startup", cookie: "", token: "" };
  let pat = "";
  let cliSessionToken = "";

  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });
  /** The status bar's left half, where the claudemesh item sits. */
  const statusBarShot = (name: string) =>
    page.locator(".part.statusbar").screenshot({ path: join(SHOTS, `${name}.png`) });
  const statusItem = (text: string) => page.locator(".statusbar-item", { hasText: text }).first();
  /** `claudemesh <args>` as a person types it in a terminal of this machine, on the editor's keyring and config folder. */
  const cli = (args: string[], input?: string) =>
    execFileSync(process.execPath, [CLI_BUNDLE, ...args], {
      input,
      encoding: "utf8",
      env: {
        PATH: process.env.PATH,
        ...suiteKeyringEnv(),
        CLAUDEMESH_API_URL: apiUrl,
        CLAUDEMESH_CONFIG_DIR: configDir,
        DO_NOT_TRACK: "1",
      },
    });
  /** What the doors saved for this server, read back through the store they share (keychain or auth.json). */
  const saved = () => storedCredential({ CLAUDEMESH_API_URL: apiUrl, CLAUDEMESH_CONFIG_DIR: configDir });
  /** Runs a command from the palette; early on, the extension's contributions may still be loading, so retry. */
  async function runCommand(title: string) {
    const input = page.locator(".quick-input-widget input");
    // Exactly this command: "Sign In" must not pick "Sign In with Access Token", which recent use may rank first.
    const row = page
      .locator(".quick-input-list .monaco-list-row")
      .filter({ has: page.locator(".label-name", { hasText: new RegExp(`^${title.replace(/\W/g, "\\$&")}$`) }) })
      .first();
    for (let attempt = 1; ; attempt += 1) {
      await page.keyboard.press("F1");
      await input.waitFor();
      await input.fill(`>${title}`);
      try {
        await row.waitFor({ timeout: 5000 });
        break;
      } catch (error) {
        await page.keyboard.press("Escape");
        if (attempt === 8) {
          await shot(`failed-palette-${title.replace(/\W+/g, "-")}`);
          throw error;
        }
      }
    }
    await row.click();
  }

  /**
   * Picks `label` from `row`'s context menu, opening it if it is not open. The menu now and then
   * does not take a click made just after it opened (it stays open, nothing runs): click again then.
   */
  async function chooseInContextMenu(row: Locator, label: string) {
    const item = page.locator(".monaco-menu .action-label", { hasText: new RegExp(`^${label}$`) });
    for (let attempt = 1; ; attempt += 1) {
      if (!(await item.isVisible())) await row.click({ button: "right" });
      await item.click();
      try {
        await item.waitFor({ state: "hidden", timeout: 5000 });
        return;
      } catch (error) {
        if (attempt === 5) throw error;
      }
    }
  }

  /** Log files code-server keeps under the user data folder, by name: the extension host's, an output channel's. */
  async function editorLog(name: string): Promise<string> {
    const found: string[] = [];
    const walk = async (dir: string) => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (entry.name === name) found.push(await readFile(path, "utf8"));
      }
    };
    await walk(join(userData, "logs"));
    return found.join("\n");
  }

  beforeAll(async () => {
    const launcher = setUpCodeServer();
    // The companion that runs the in-host suite (./suite, what @vscode/test-electron runs) inside this editor.
    execFileSync(process.execPath, [join(HERE, "build-suite.mjs")], { stdio: "inherit" });

    const serverPort = await freePort();
    apiUrl = `http://${hostname()}:${serverPort}`;
    server = await startClaudemeshServer({ publicUrl: apiUrl, env: { PORT: String(serverPort) } });
    const signedUp = await server.signUp(account.name);
    Object.assign(account, { cookie: signedUp.cookie, email: signedUp.email });
    pat = (await server.createPat(account.cookie, "vscode-e2e")).token;
    // A terminal signed in to the same account, to revoke from the sidebar.
    cliSessionToken = await server.terminalSession(account.cookie);

    scratch = await mkdtemp(join(tmpdir(), "claudemesh-code-server-"));
    // The same build and vsce flags as a release (the package script), so the .vsix tested is the one shipped.
    const vsix = await packageVsix({
      extensionDir: EXTENSION,
      target: TARGET,
      outFile: join(scratch, "claudemesh.vsix"),
    });
    configDir = join(scratch, "claudemesh");
    userData = join(scratch, "user-data");
    suiteResults = join(scratch, "in-host-suite.json");
    const extensions = join(scratch, "extensions");
    const workspace = join(scratch, "workspace");
    await mkdir(workspace, { recursive: true });
    await mkdir(SHOTS, { recursive: true });
    // Someone signed in with `claudemesh login` in a terminal before opening the editor.
    const stella = await server.signUp(startup.name);
    startup.cookie = stella.cookie;
    startup.token = (await server.createPat(stella.cookie, "terminal")).token;
    cli(["login", "--with-token"], startup.token);
    const env = {
      ...process.env,
      XDG_CONFIG_HOME: join(scratch, "xdg-config"),
      XDG_DATA_HOME: join(scratch, "xdg-data"),
      CLAUDEMESH_CONFIG_DIR: configDir,
      CLAUDEMESH_SUITE_RESULTS: suiteResults,
    };
    const companion = join(scratch, "claudemesh-tests.vsix");
    execFileSync(
      join(EXTENSION, "node_modules", ".bin", "vsce"),
      ["package", "--no-dependencies", "--allow-missing-repository", "--skip-license", "--out", companion],
      { cwd: join(HERE, "companion"), stdio: "ignore" },
    );
    codeServer = await startCodeServer({
      launcher,
      configFile: join(scratch, "cs.yaml"),
      userDataDir: userData,
      extensionsDir: extensions,
      extensions: [vsix, companion],
      workspace,
      env,
      settings: { "claudemesh.apiUrl": apiUrl },
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(codeServer.url);
    await page.locator(".monaco-workbench").waitFor({ timeout: 90_000 });
  }, 15 * 60_000);

  // What the editor showed when a test failed, to see why.
  afterEach(async ({ task }) => {
    if (task.result?.state === "fail" && page) await shot(`failed-${task.name.replace(/\W+/g, "-").slice(0, 60)}`);
  });

  afterAll(async () => {
    await browser?.close();
    codeServer?.stop();
    await server?.stop();
    if (scratch && !process.env.KEEP_SCRATCH) await rm(scratch, { recursive: true, force: true });
    else console.log("SCRATCH", scratch);
  });

  it("opened after `claudemesh login`, names the account in the status bar with no click and no command", async () => {
    await statusItem(startup.name).waitFor({ timeout: 60_000 });
    await statusBarShot("status-bar-signed-in");
    // The tooltip: email, server, where the credential lives, expiry.
    await statusItem(startup.name).hover();
    const tooltip = page.locator(".monaco-hover", { hasText: "OS keychain" }).first();
    await tooltip.waitFor({ timeout: 15_000 });
    const text = (await tooltip.textContent()) ?? "";
    expect(text).toContain(startup.name);
    expect(text).toContain(`Server: ${apiUrl}`);
    expect(text).toContain("pat from the OS keychain (shared with the CLI), expires");
    await page.screenshot({
      path: join(SHOTS, "status-bar-signed-in-tooltip.png"),
      clip: { x: 0, y: 600, width: 700, height: 300 },
    });
    await page.mouse.move(700, 300);
    // It was start-up that activated the extension: nothing asked for a session or ran a command.
    // (remoteexthost.log is where VS Code records what activated each extension and why.)
    const hostLog = await editorLog("remoteexthost.log");
    expect(hostLog).toMatch(/claudemesh\.claudemesh.*activationEvent: 'onStartupFinished'/);
  }, 120_000);

  it("follows `claudemesh logout` in a terminal: the name goes", async () => {
    cli(["logout"]);
    await statusItem("claudemesh: Sign In").waitFor({ timeout: 15_000 });
    expect(await page.locator(".statusbar-item", { hasText: startup.name }).count()).toBe(0);
    await statusBarShot("status-bar-signed-out");
  }, 60_000);

  it("passes the in-host suite (@vscode/test-electron's shape) inside this editor, the CLI signed in", async () => {
    const cleo = await server.signUp("Cleo Cli");
    cli(["login", "--with-token"], (await server.createPat(cleo.cookie, "terminal")).token);
    await statusItem("Cleo Cli").waitFor({ timeout: 15_000 });
    await runCommand("claudemesh tests: Run In-Host Suite");
    // Another extension reads the session only once the person allows it, as here.
    const allow = page.locator(".monaco-dialog-box").getByRole("button", { name: "Allow", exact: true });
    await allow.waitFor({ timeout: 30_000 });
    await shot("in-host-suite-consent");
    await allow.click();
    await page.locator(".notifications-toasts", { hasText: "claudemesh in-host suite:" }).waitFor({ timeout: 60_000 });
    const results = JSON.parse(await readFile(suiteResults, "utf8")) as {
      name: string;
      passed: boolean;
      error?: string;
    }[];
    expect(results.filter((result) => !result.passed)).toEqual([]);
    expect(results.map((result) => result.name)).toEqual([
      "claudemesh is active and registers its commands",
      "the OS keychain module the platform package ships loads in this extension host",
      "the CLI's token is in the OS keychain, and auth.json only says whose it is",
      "the authentication provider is registered and knows the CLI's account",
      "authentication.getSession returns the CLI's identity, with createIfNone: false once allowed",
      "the sidebar's trees show the account and what the server lists",
      "Sign Out clears the session, for other extensions and for the CLI",
    ]);
    // The suite's Sign Out reached the status bar too.
    await statusItem("claudemesh: Sign In").waitFor({ timeout: 15_000 });
  }, 120_000);

  it("signs in with an access token from the command palette and shows the name in the status bar", async () => {
    await runCommand("claudemesh: Sign In with Access Token");
    const input = page.locator(".quick-input-widget input");
    await input.waitFor();
    await input.fill(pat);
    await page.keyboard.press("Enter");
    await statusItem("Vera Code").waitFor({ timeout: 30_000 });
    await shot("signed-in-status-bar");
    expect(await saved()).toMatchObject({ token: pat, store: "keychain", record: { user: { name: "Vera Code" } } });
  }, 120_000);

  it("revokes a CLI session from the sidebar, and the server confirms it is gone", async () => {
    await runCommand("claudemesh: Show Account");
    const row = page.locator(".monaco-list-row", { hasText: "build-box · linux · arm64" }).first();
    await row.waitFor({ timeout: 30_000 });
    await shot("sidebar");
    await row.hover();
    await row.locator('.action-label[aria-label="Revoke"]').click();
    await page.locator(".monaco-dialog-box .monaco-button", { hasText: "Revoke" }).first().click();
    await page
      .locator(".monaco-list-row", { hasText: "No terminals are signed in." })
      .first()
      .waitFor({ timeout: 30_000 });
    const whoami = await fetch(new URL("/api/my/whoami", server.url), {
      headers: { authorization: `Bearer ${cliSessionToken}` },
    });
    expect(whoami.status).toBe(401);
  }, 120_000);

  it("follows a `claudemesh login` made by the CLI meanwhile", async () => {
    const other = await server.signUp("Tess Terminal");
    const { token } = await server.createPat(other.cookie, "cli");
    cli(["login", "--with-token"], token);
    await statusItem("Tess Terminal").waitFor({ timeout: 15_000 });
    await shot("after-cli-login");
  }, 60_000);

  it("signs out from the Accounts menu", async () => {
    await page
      .locator(".activitybar .action-label.codicon-accounts-view-bar-icon, .activitybar [aria-label^='Accounts']")
      .first()
      .click();
    await page.locator(".monaco-menu .action-label", { hasText: "Tess Terminal" }).first().hover();
    const signOut = page.locator(".monaco-menu .action-label", { hasText: "Sign Out" }).first();
    await signOut.waitFor();
    await shot("accounts-menu");
    await signOut.click();
    // VS Code asks before signing an account out of every extension that used it.
    const confirm = page.locator(".monaco-dialog-box .monaco-button", { hasText: "Sign Out" }).first();
    await confirm.waitFor({ timeout: 10_000 }).then(
      () => confirm.click(),
      () => {},
    );
    await statusItem("claudemesh: Sign In").waitFor({ timeout: 30_000 });
    await shot("signed-out");
    expect(await saved()).toBeNull();
  }, 60_000);

  it("shows a token the server refuses as a warning, 'Sign in again'", async () => {
    const rita = await server.signUp("Rita Refused");
    const created = await server.createPat(rita.cookie, "soon revoked");
    cli(["login", "--with-token"], created.token);
    await statusItem("Rita Refused").waitFor({ timeout: 15_000 });
    // Revoked from another device (the dashboard); the next check finds out.
    const revoked = await fetch(new URL(`/api/my/cli/tokens/${created.id}`, apiUrl), {
      method: "DELETE",
      headers: { authorization: `Bearer ${created.token}` },
    });
    expect(revoked.status).toBe(200);
    await runCommand("claudemesh: Refresh");
    const warning = statusItem("claudemesh: Sign in again");
    await warning.waitFor({ timeout: 30_000 });
    expect(await warning.evaluate((element) => element.classList.contains("warning-kind"))).toBe(true);
    await statusBarShot("status-bar-refused");
  }, 60_000);

  it("signs in through the browser and back into the editor: the URI handler, reached through env.asExternalUri", async () => {
    const bria = await server.signUp("Bria Browser");
    // The person's browser is signed in to the claudemesh server.
    await page.context().addCookies(
      bria.cookie.split("; ").map((pair) => {
        const [name = "", value = ""] = pair.split("=");
        return { name, value, url: apiUrl };
      }),
    );
    await runCommand("claudemesh: Sign In");
    const approvalPage = page.context().waitForEvent("page");
    // code-server asks before its first link to a new site, as VS Code for the Web does.
    await page.locator(".monaco-dialog-box").getByRole("button", { name: "Open", exact: true }).click();
    const card = await approvalPage;
    await card.locator("[data-testid=destination]").waitFor();
    // The code goes back to this code-server's callback page, on this machine.
    expect(await card.locator("[data-testid=destination]").textContent()).toBe(
      `${new URL(page.url()).origin} on this computer`,
    );
    await card.screenshot({ path: join(SHOTS, "approval-for-the-editor.png") });
    await card.locator("button", { hasText: "Approve" }).click();
    await statusItem("Bria Browser").waitFor({ timeout: 30_000 });
    await card.close();
    expect(await saved()).toMatchObject({
      store: "keychain",
      record: { source: "browser", user: { name: "Bria Browser" } },
    });
  }, 90_000);

  it("lists a mesh's members in the Meshes tree, who is online, and blocks and unblocks one from its context menu", async () => {
    // The signed-in account (Bria, through the browser) makes a mesh; Otto joins it and connects, as `claudemesh launch` would.
    const signedIn = await ApiClient.create({ baseUrl: apiUrl, token: (await saved())?.token ?? "" });
    const mesh = await signedIn.createMesh({ name: "Peers Tree" });
    const otto = await server.signUp("Otto Online");
    const ottoToken = (await server.createPat(otto.cookie, "terminal")).token;
    const ottoApi = await ApiClient.create({ baseUrl: apiUrl, token: ottoToken });
    const ottoId = (await ottoApi.whoami()).user.id;
    const invite = await signedIn.createInvite(mesh.slug, {});
    await ottoApi.acceptInvite(inviteSecretFrom(invite.url) ?? "");
    const ottoSession = await MeshConnection.open({
      apiUrl,
      token: ottoToken,
      mesh: mesh.slug,
      hello: { kind: "cli", session_id: "otto-terminal", display_name: "Otto Online", host: "otto-box" },
      reconnect: false,
    });
    await ottoSession.synced;
    /** Bria's grants as the server has them: what the tree's actions must have changed. */
    const grants = async () => {
      const response = await fetch(new URL(`/api/my/meshes/${mesh.slug}/grants`, apiUrl), {
        headers: { authorization: `Bearer ${(await saved())?.token}` },
      });
      expect(response.status).toBe(200);
      return response.json();
    };
    expect(await grants()).toEqual({ peers: {} });

    const meshes = page.locator(".pane", { has: page.locator(".pane-header", { hasText: "Meshes" }) });
    /** The Meshes view's own Refresh button, as a person clicks it (the tree also re-reads once a minute). */
    const refreshMeshes = async () => {
      await meshes.locator(".pane-header").hover();
      await meshes.locator('.pane-header .action-label[aria-label="Refresh"]').click();
    };
    try {
      await runCommand("claudemesh: Focus on Meshes View");
      // The tree was read before the mesh existed.
      await refreshMeshes();
      const meshRow = meshes.locator(".monaco-list-row", { hasText: mesh.slug }).first();
      await meshRow.waitFor({ timeout: 30_000 });
      await meshRow.click();
      // Away from the mesh row, whose hover (the mesh id) would lie over the first member's row.
      await page.mouse.move(700, 300);
      const ottoRow = meshes.locator(".monaco-list-row", { hasText: "Otto Online" }).first();
      await ottoRow.locator(".label-description", { hasText: "online · 1 session" }).waitFor({ timeout: 30_000 });
      await shot("meshes-members");

      await chooseInContextMenu(ottoRow, "Block");
      // Blocking silently drops their messages: the editor asks first.
      const confirm = page.locator(".monaco-dialog-box");
      await confirm.getByText("Block Otto Online in").waitFor({ timeout: 10_000 });
      await shot("meshes-block-confirm");
      await confirm.getByRole("button", { name: "Block", exact: true }).click();
      await ottoRow
        .locator(".label-description", { hasText: "blocked · online · 1 session" })
        .waitFor({ timeout: 30_000 });
      await shot("meshes-member-blocked");
      // The hover says it too, in full, with the member id `claudemesh block` also takes.
      await ottoRow.hover();
      await page
        .locator(".monaco-hover", { hasText: `${ottoId} · blocked · online · 1 session` })
        .waitFor({ timeout: 15_000 });
      await shot("meshes-member-blocked-hover");
      await page.mouse.move(700, 300);
      expect(await grants()).toEqual({ peers: { [ottoId]: [] } });

      await ottoRow.click({ button: "right" });
      const menu = page.locator(".monaco-menu .action-label");
      await menu.filter({ hasText: /^Unblock$/ }).waitFor();
      // A blocked member's menu offers only the way back.
      expect(await menu.filter({ hasText: /^Block$/ }).count()).toBe(0);
      await chooseInContextMenu(ottoRow, "Unblock");
      await ottoRow.locator(".label-description", { hasText: /^online · 1 session$/ }).waitFor({ timeout: 30_000 });
      expect(await grants()).toEqual({ peers: {} });
    } finally {
      await ottoSession.close();
    }

    // Otto's terminal has closed; the next refresh shows it.
    await refreshMeshes();
    await meshes
      .locator(".monaco-list-row", { hasText: "Otto Online" })
      .locator(".label-description", { hasText: /^offline$/ })
      .waitFor({ timeout: 30_000 });
    await shot("meshes-member-offline");
  }, 180_000);

  it("has logged all of it to the 'claudemesh' output channel, without a token", async () => {
    const log = await editorLog("claudemesh.log");
    for (const line of [
      "checking the identity (start-up)",
      "signed in as Stella Startup",
      "checking the identity (the shared credential changed)",
      "signed out (no CLAUDEMESH_TOKEN, nothing in the shared store)",
      "the server refused the keychain credential: Authentication failed (token revoked).",
      "received code-oss://claudemesh.claudemesh/did-authenticate",
      "signed in with the browser redirect",
      "signed in as Bria Browser",
    ]) {
      expect(log).toContain(line);
    }
    expect(log.match(TOKEN_SCAN_REGEX)).toBeNull();
    const token = (await saved())?.token;
    expect(token).toBeDefined();
    expect(log).not.toContain(token);
  }, 30_000);
});
