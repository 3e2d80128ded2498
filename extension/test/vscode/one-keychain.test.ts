// One keychain, both doors (DESIGN.md): the built CLI as a process and the
// packaged extension in a real VS Code (code-server), on ONE real keyring, with the
// same HOME, CLAUDEMESH_CONFIG_DIR and CLAUDEMESH_API_URL, as on a person's desktop.
// This file's own keyring, not the run's: locking it or stopping its service must
// not disturb the files running beside it.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CredentialStore } from "@claudemesh/sdk";
import { launchChromium } from "@claudemesh/test-support/chromium";
import { type RunningCodeServer, setUpCodeServer, startCodeServer } from "@claudemesh/test-support/code-server";
import { freePort } from "@claudemesh/test-support/free-port";
import { type Keyring, startKeyring } from "@claudemesh/test-support/keyring";
import { runCli, startCli } from "@claudemesh/test-support/run-cli";
import { type RunningServer, startClaudemeshServer } from "@claudemesh/test-support/server-process";
import { packageVsix } from "@claudemesh/test-support/vsix";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const EXTENSION = fileURLToPath(new URL("../..", import.meta.url));
const SHOTS = join(HERE, "artifacts");
/** The platform package a person on this machine installs, with this machine's keychain module. */
const TARGET = `${process.platform}-${process.arch}`;
/** How long one door may take to see what the other did (the extension watches auth.json). */
const FOLLOWS_WITHIN_MS = 15_000;

type Account = Awaited<ReturnType<RunningServer["signUp"]>>;

/** Polls `check` until it returns something other than undefined, or fails with what it saw last. */
async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = FOLLOWS_WITHIN_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result !== undefined) return result;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe("one keychain, both doors: the CLI and VS Code (code-server) on one keyring", () => {
  let keyring: Keyring;
  let server: RunningServer;
  let codeServer: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let scratch = "";
  let userData = "";
  /** What both doors get: the keyring's bus, one HOME, one config folder, one server. */
  let shared: Record<string, string> = {};
  /** The machine's name, which code-server's link proxy leaves alone (REAL-PARTS.md). */
  let apiUrl = "";

  const editor = (): Page => {
    if (!page) throw new Error("the editor is not open yet");
    return page;
  };
  const shot = (name: string) => editor().screenshot({ path: join(SHOTS, `one-keychain-${name}.png`) });
  /** The claudemesh item, whatever it shows (VS Code gives it the id `<extension id>.<item id>`). */
  const claudemeshItem = () => editor().locator('.statusbar-item[id="claudemesh.claudemesh.claudemesh.status"]');
  const statusItem = (text: string) => editor().locator(".statusbar-item", { hasText: text }).first();
  /** Every status bar item's text, as a person reads the bar. */
  const statusBarTexts = async () => (await editor().locator(".statusbar-item").allTextContents()).map((t) => t.trim());
  const cli = (args: string[], stdin?: string) => runCli(args, shared, stdin);
  /** What auth.json records for this server (who, and where the token is), read as the clients read it. */
  const record = async () =>
    (await new CredentialStore({ apiUrl, configDir: shared.CLAUDEMESH_CONFIG_DIR }).file.read())?.servers[
      new URL(apiUrl).origin
    ];

  /** `claudemesh login` in a terminal, approved in the browser (over HTTP, as the CLI harness does). */
  async function deviceLogin(name: string): Promise<Account> {
    const account = await server.signUp(name);
    const login = startCli(["login", "--no-browser"], shared);
    const [code] = await login.waitFor(/[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}/);
    await server.decide(code, "approve", account.cookie);
    const done = await login.exited;
    expect(done.code, done.stderr).toBe(0);
    return account;
  }

  /** `claudemesh login --with-token`, for tests about what comes after a login. */
  async function patLogin(name: string): Promise<Account> {
    const account = await server.signUp(name);
    const { token } = await server.createPat(account.cookie, "terminal");
    const done = await cli(["login", "--with-token"], token);
    expect(done.code, done.stderr).toBe(0);
    return account;
  }

  /** Runs a command from the palette by its exact title; early on, contributions may still be loading. */
  async function runCommand(title: string) {
    const input = editor().locator(".quick-input-widget input");
    const row = editor()
      .locator(".quick-input-list .monaco-list-row")
      .filter({ has: editor().locator(".label-name", { hasText: new RegExp(`^${title.replace(/\W/g, "\\$&")}$`) }) })
      .first();
    for (let attempt = 1; ; attempt += 1) {
      await editor().keyboard.press("F1");
      await input.waitFor();
      await input.fill(`>${title}`);
      try {
        await row.waitFor({ timeout: 5000 });
        break;
      } catch (error) {
        await editor().keyboard.press("Escape");
        if (attempt === 8) throw error;
      }
    }
    await row.click();
  }

  /** The claudemesh item's tooltip, as hovering shows it. */
  async function tooltipOf(item: ReturnType<typeof claudemeshItem>): Promise<string> {
    await item.hover();
    const hover = editor().locator(".monaco-hover:visible").first();
    await hover.waitFor({ timeout: 15_000 });
    return ((await hover.textContent()) ?? "").trim();
  }

  beforeAll(async () => {
    const launcher = setUpCodeServer();
    keyring = await startKeyring();
    scratch = await mkdtemp(join(tmpdir(), "claudemesh-one-keychain-"));
    const vsix = await packageVsix({
      extensionDir: EXTENSION,
      target: TARGET,
      outFile: join(scratch, "claudemesh.vsix"),
    });

    const port = await freePort();
    apiUrl = `http://${hostname()}:${port}`;
    server = await startClaudemeshServer({ publicUrl: apiUrl, env: { PORT: String(port) } });

    const home = join(scratch, "home");
    userData = join(scratch, "user-data");
    const workspace = join(scratch, "workspace");
    await mkdir(workspace, { recursive: true });
    await mkdir(SHOTS, { recursive: true });
    shared = {
      ...keyring.env,
      HOME: home,
      CLAUDEMESH_CONFIG_DIR: join(home, ".claudemesh"),
      CLAUDEMESH_API_URL: apiUrl,
      DO_NOT_TRACK: "1",
    };
    codeServer = await startCodeServer({
      launcher,
      configFile: join(scratch, "cs.yaml"),
      userDataDir: userData,
      extensionsDir: join(scratch, "extensions"),
      extensions: [vsix],
      workspace,
      env: {
        ...process.env,
        ...shared,
        XDG_CONFIG_HOME: join(scratch, "xdg-config"),
        XDG_DATA_HOME: join(scratch, "xdg-data"),
      },
    });
    browser = await launchChromium();
  }, 15 * 60_000);

  // What the editor showed when a test failed, to see why.
  afterEach(async ({ task }) => {
    if (task.result?.state === "fail" && page) await shot(`failed-${task.name.replace(/\W+/g, "-").slice(0, 50)}`);
  });

  afterAll(async () => {
    await browser?.close();
    codeServer?.stop();
    await server?.stop();
    await keyring?.stop();
    if (scratch && !process.env.KEEP_SCRATCH) await rm(scratch, { recursive: true, force: true });
    else console.log("SCRATCH", scratch);
  });

  it("(A) after `claudemesh login` in a terminal, the editor opens signed in: the status bar names the account, no click", async () => {
    const ana = await deviceLogin("Ana Keyring");
    // The token went to the keychain, under this server and Ana's id; auth.json only says where it is.
    const saved = await record();
    expect(saved).toMatchObject({ token_store: "keychain", user: { name: "Ana Keyring" } });
    expect(saved?.token).toBeUndefined();
    const entries = await keyring.entries();
    expect(entries).toEqual([
      {
        account: `${new URL(apiUrl).origin}#${saved?.user.id}#${saved?.token_fingerprint}`,
        secret: expect.any(String),
      },
    ]);

    if (!codeServer || !browser) throw new Error("code-server or Chromium did not start");
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await editor().goto(codeServer.url);
    await editor().locator(".monaco-workbench").waitFor({ timeout: 90_000 });
    await statusItem(ana.name).waitFor({ timeout: 60_000 });
    expect(await statusBarTexts()).toContainEqual(expect.stringContaining(ana.name));
    expect(await tooltipOf(claudemeshItem())).toContain("the OS keychain (shared with the CLI)");
    await shot("a-cli-login-shown");
  }, 180_000);

  it("(B) over the keychain entry of the CLI's account, a sign-in as another account in VS Code is the CLI's too", async () => {
    const before = await keyring.entries();
    expect(before).toHaveLength(1); // Ana's, from (A)
    const bea = await server.signUp("Bea Palette");
    const { token } = await server.createPat(bea.cookie, "vscode");
    await runCommand("claudemesh: Sign In with Access Token");
    const input = editor().locator(".quick-input-widget input");
    await input.waitFor();
    await input.fill(token);
    await editor().keyboard.press("Enter");
    await statusItem(bea.name).waitFor({ timeout: 30_000 });
    await shot("b-vscode-login-shown");

    // The terminal, started after: its whoami is Bea's, read from the keychain.
    const whoami = await cli(["whoami", "--json"]);
    expect(whoami.code, whoami.stderr).toBe(0);
    expect(JSON.parse(whoami.stdout)).toMatchObject({ user: { name: bea.name }, credential: { source: "keychain" } });
    const saved = await record();
    expect(saved).toMatchObject({ token_store: "keychain", user: { name: bea.name } });
    expect(saved?.token).toBeUndefined();
    expect(await keyring.entries()).toContainEqual({
      account: `${new URL(apiUrl).origin}#${saved?.user.id}#${saved?.token_fingerprint}`,
      secret: token,
    });
  }, 120_000);

  it("(C) `claudemesh logout` in a terminal signs the editor out; Sign Out in the palette signs the terminal out", async () => {
    const logout = await cli(["logout"]);
    expect(logout.code, logout.stderr).toBe(0);
    await statusItem("claudemesh: Sign In").waitFor({ timeout: FOLLOWS_WITHIN_MS });
    expect((await statusBarTexts()).filter((text) => text.includes("Bea Palette"))).toEqual([]);
    await shot("c1-cli-logout-shown");

    const cleo = await patLogin("Cleo Both");
    await statusItem(cleo.name).waitFor({ timeout: FOLLOWS_WITHIN_MS });
    const cleoRecord = await record();
    const cleoEntry = `${new URL(apiUrl).origin}#${cleoRecord?.user.id}#${cleoRecord?.token_fingerprint}`;
    expect((await keyring.entries()).map((entry) => entry.account)).toContain(cleoEntry);
    await runCommand("claudemesh: Sign Out");
    await statusItem("claudemesh: Sign In").waitFor({ timeout: FOLLOWS_WITHIN_MS });
    const signedOut = await until("`claudemesh whoami` says not signed in", async () => {
      const whoami = await cli(["whoami"]);
      return whoami.code === 2 ? whoami : undefined;
    });
    expect(signedOut.stderr).toContain(`Not signed in to ${apiUrl}`);
    expect(signedOut.stdout).not.toContain(cleo.name);
    expect(await record()).toBeUndefined();
    expect((await keyring.entries()).map((entry) => entry.account)).not.toContain(cleoEntry);
    await shot("c2-vscode-logout");
  }, 120_000);

  /**
   * Both doors, with the keyring unreadable: the CLI's whoami fails with the SDK's sentence and the
   * status bar carries the same sentence, and neither names the account.
   */
  async function bothSayOnly(sentence: RegExp | string, account: Account, screenshot: string) {
    const whoami = await cli(["whoami"]);
    expect(whoami.code, whoami.stdout).not.toBe(0);
    const said = typeof sentence === "string" ? sentence : whoami.stderr.match(sentence)?.[0];
    expect(said, whoami.stderr).toBeDefined();
    expect(whoami.stderr).toContain(said);
    expect(`${whoami.stdout}${whoami.stderr}`).not.toContain(account.name);
    expect(`${whoami.stdout}${whoami.stderr}`).not.toContain(account.email);

    // The editor is asked again as a person would (Refresh): a lock changes no file it watches.
    await runCommand("claudemesh: Refresh");
    const item = claudemeshItem();
    await until("the status bar no longer names the account", async () =>
      (await item.textContent())?.includes(account.name) ? undefined : true,
    );
    const texts = await statusBarTexts();
    expect(texts.filter((text) => text.includes(account.name))).toEqual([]);
    const tooltip = await tooltipOf(item);
    await shot(screenshot);
    expect(tooltip).toContain(said);
    expect(tooltip).not.toContain(account.name);
    expect(tooltip).not.toContain(account.email);
    // Not the server's refusal: the server was never asked, and signing in again would not help.
    expect(tooltip).not.toContain("refused the token");
    expect(await item.evaluate((element) => element.classList.contains("warning-kind"))).toBe(true);
    await editor().mouse.move(700, 300);
  }

  it("(D1) the keyring locked: both doors say so in the same words and show no account; unlocked, both are back", async () => {
    const dora = await patLogin("Dora Locked");
    await statusItem(dora.name).waitFor({ timeout: FOLLOWS_WITHIN_MS });

    await keyring.lock();
    try {
      await bothSayOnly(
        `The token of the login for ${new URL(apiUrl).origin} is kept in the OS keychain, which did not return it (locked, or its entry was removed).`,
        dora,
        "d1-keyring-locked",
      );
    } finally {
      await keyring.unlock();
    }
    // It was the lock, not a lost login.
    await runCommand("claudemesh: Refresh");
    await statusItem(dora.name).waitFor({ timeout: FOLLOWS_WITHIN_MS });
    expect((await cli(["whoami"])).stdout).toContain(dora.name);
  }, 120_000);

  it("(D2) the keyring's service gone: both doors say so in the same words and show no account", async () => {
    const dirk = await patLogin("Dirk Gone");
    await statusItem(dirk.name).waitFor({ timeout: FOLLOWS_WITHIN_MS });
    await keyring.stopService(); // last: the service does not come back in this file
    await bothSayOnly(/The OS keychain refused a read: [^\n]*/, dirk, "d2-keyring-service-gone");
  }, 180_000);
});
