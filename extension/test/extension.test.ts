import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer, type Socket } from "node:net";
import { hostname, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ApiClient, CredentialStore, MeshConnection, mintToken, readSdkEnv, TOKEN_SCAN_REGEX } from "@claudemesh/sdk";
import { runCli } from "@claudemesh/test-support/run-cli";
import { type RunningServer, startClaudemeshServer } from "@claudemesh/test-support/server-process";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type * as vscode from "vscode";
import { activate } from "../src/extension.js";
import type { RemoteTree, TreeNode } from "../src/views/tree-node.js";
import {
  answers,
  authProviders,
  changeSetting,
  clipboardText,
  commands,
  contextKeys,
  messages,
  openedUrls,
  outputLines,
  progressRuns,
  resetFake,
  statusBarItems,
  terminals,
  treeProviders,
  Uri,
  uriHandlers,
} from "./fake-vscode.js";

const EXTENSION = fileURLToPath(new URL("..", import.meta.url));
/** The installed @github/keytar's binary for this machine: what this machine's platform package ships. */
const PREBUILT_KEYCHAIN_MODULE = join(
  dirname(
    createRequire(join(EXTENSION, "node_modules/@claudemesh/sdk/package.json")).resolve("@github/keytar/package.json"),
  ),
  "prebuilds",
  `${process.platform}-${process.arch}`,
  "keytar.node",
);

let server: RunningServer;
/** The extension as installed from this machine's platform package: its keychain module in dist/native. */
let installed = "";
beforeAll(async () => {
  server = await startClaudemeshServer();
  // A copy of its own, as the package build rewrites extension/dist while other files run.
  installed = await mkdtemp(join(tmpdir(), "claudemesh-installed-"));
  await mkdir(join(installed, "dist", "native"), { recursive: true });
  await copyFile(PREBUILT_KEYCHAIN_MODULE, join(installed, "dist", "native", "keytar.node"));
});
afterAll(async () => {
  await server.stop();
  await rm(installed, { recursive: true, force: true });
});

let configDir = "";
let subscriptions: { dispose(): unknown }[] = [];
const saved = { ...process.env };

beforeEach(async () => {
  resetFake();
  configDir = await mkdtemp(join(tmpdir(), "claudemesh-vscode-"));
  Object.assign(process.env, {
    CLAUDEMESH_API_URL: server.url,
    CLAUDEMESH_CONFIG_DIR: configDir,
  });
  // The run's keyring (the root config's globalSetup) is this process's keychain, as on a desktop.
  delete process.env.CLAUDEMESH_TOKEN_STORE;
  delete process.env.CLAUDEMESH_TOKEN;
  subscriptions = [];
});
afterEach(async () => {
  for (const item of subscriptions) item.dispose();
  process.env = { ...saved };
  await rm(configDir, { recursive: true, force: true });
});

/** Activates the extension as VS Code would, with a fresh context; `extensionPath` is where it is installed. */
async function activated(extensionPath = installed) {
  const context = { subscriptions, extensionPath } as unknown as vscode.ExtensionContext;
  await activate(context);
  const status = statusBarItems[0];
  if (!status) throw new Error("no status bar item");
  const provider = authProviders.get("claudemesh")?.provider as vscode.AuthenticationProvider;
  return { status, provider };
}

/** Activates, then waits for the first check as getSessions does. */
async function started(extensionPath = installed) {
  const extension = await activated(extensionPath);
  await extension.provider.getSessions(undefined, {});
  return extension;
}

/** Polls until `check` holds (the extension works in the background). */
async function eventually(check: () => unknown, timeoutMs = 5000) {
  const started = Date.now();
  for (;;) {
    try {
      const result = await check();
      if (result !== false) return;
    } catch (error) {
      if (Date.now() - started > timeoutMs) throw error;
    }
    if (Date.now() - started > timeoutMs) throw new Error(`not true within ${timeoutMs} ms: ${check}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function signInWithPat(name = "Vera Code") {
  const account = await server.signUp(name);
  const { token } = await server.createPat(account.cookie, "vscode");
  answers.inputBox = () => token;
  await commands.executeCommand("claudemesh.signInWithToken");
  return { account, token };
}

/** The status the server answers `whoami` with for a token: 200, or 401 once it is revoked. */
async function whoamiStatus(token: string): Promise<number> {
  const answer = await fetch(new URL("/api/my/whoami", server.url), { headers: { authorization: `Bearer ${token}` } });
  return answer.status;
}

async function rows(view: string): Promise<vscode.TreeItem[]> {
  const tree = treeProviders.get(`claudemesh.${view}`) as RemoteTree;
  const nodes = (await tree.getChildren()) as TreeNode[];
  return nodes.map((node) => node.treeItem());
}

/** This server's saved login, read back through the shared store wherever the token went. */
async function savedLogin(apiUrl = server.url): Promise<Record<string, unknown> & { token: string }> {
  const stored = await new CredentialStore({ apiUrl, configDir }).load();
  if (!stored) throw new Error("no login saved for this server");
  return { ...stored.record, token: stored.token };
}

describe("start-up", () => {
  it("shows the status bar item before asking the server anything, and asks it only after activate() returned", async () => {
    // A server that takes connections and never answers, counting them.
    const held: Socket[] = [];
    let hanging = true;
    let connected: () => void = () => {};
    const firstConnection = new Promise<void>((resolve) => {
      connected = resolve;
    });
    // "Connected" once the request has arrived: undici leaves a request whose socket closed
    // before it was written waiting for the whole timeout, which is not what this test is about.
    const silent = createServer((socket) => {
      if (hanging) {
        held.push(socket);
        socket.once("data", () => connected());
      } else socket.destroy();
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
    process.env.CLAUDEMESH_API_URL = url;
    const user = { id: "u1", name: "Start Up", email: "start@example.test" };
    await new CredentialStore({ apiUrl: url, configDir, mode: "file" }).save({
      token: mintToken("pat"),
      user,
      expiresAt: null,
      source: "pat",
    });

    const { status } = await activated();
    expect(held).toHaveLength(0);
    expect(status).toMatchObject({ visible: true, text: "$(sync~spin) claudemesh" });

    await firstConnection; // the first check, in the background
    hanging = false; // the server goes away (retries included): the check ends as unreachable
    for (const socket of held) socket.destroy();
    await eventually(() => expect(status.text).toBe("$(cloud-offline) Start Up"));
    silent.close();
    expect(outputLines[0]).toMatch(
      /^info claudemesh 0\.0\.0-test in Visual Studio Code \(desktop\); server http:\/\/127\.0\.0\.1:\d+$/,
    );
    expect(outputLines).toContain("info checking the identity (start-up)");
  });
});

/**
 * A browser signed in to the server: it opens the approval page, presses a
 * button, and follows the redirect to `vscode://claudemesh.claudemesh/…`,
 * which the operating system hands to the editor and the editor to the
 * extension's URI handler. Resolves `done` with the card's HTML.
 */
function signedInBrowser(cookie: string, decision: "approve" | "deny" = "approve", before?: () => void) {
  let finished: (card: string) => void = () => {};
  const done = new Promise<string>((resolve) => {
    finished = resolve;
  });
  const act = async (url: string) => {
    const card = await (await fetch(url, { headers: { cookie } })).text();
    const form = new URLSearchParams([...new URL(url).searchParams, ["decision", decision]]);
    const posted = await fetch(new URL("/cli-auth/authorize", server.url), {
      method: "POST",
      headers: { cookie, origin: new URL(server.url).origin, "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
      redirect: "manual",
    });
    before?.();
    for (const handler of uriHandlers) handler.handleUri(Uri.parse(posted.headers.get("location") ?? ""));
    finished(card);
  };
  return {
    done,
    open: (url: string) => {
      if (new URL(url).pathname === "/cli-auth/authorize") void act(url);
      return true;
    },
  };
}

describe("signing in through the browser, back to the editor", () => {
  it("the code comes back through vscode://claudemesh.claudemesh; the session is named after the editor", async () => {
    const { status } = await started();
    // Desktop VS Code's asExternalUri adds the window, so the link comes back to this one.
    answers.externalUri = (uri) => Uri.parse(`${uri.toString()}?windowId=1`);
    const account = await server.signUp("Red Irect");
    const browser = signedInBrowser(account.cookie);
    answers.openExternal = browser.open;
    await commands.executeCommand("claudemesh.signIn");

    expect(await browser.done).toContain("vscode://claudemesh.claudemesh on this computer");
    expect(status.text).toBe("$(account) Red Irect");
    const saved = await savedLogin();
    expect(saved).toMatchObject({ source: "browser", token: expect.stringMatching(/^cm_session_/) });
    const me = await fetch(new URL("/api/my/whoami", server.url), {
      headers: { authorization: `Bearer ${saved.token}` },
    });
    expect(await me.json()).toMatchObject({
      credential: { kind: "session", name: `Visual Studio Code · ${hostname()}` },
    });
    expect(progressRuns.map((run) => run.messages)).toEqual([["Approve in the browser; it brings you back here."]]);
    const log = outputLines.join("\n");
    expect(log).toContain("info browser sign-in: the code goes to vscode://claudemesh.claudemesh");
    expect(log).toContain("info received vscode://claudemesh.claudemesh/did-authenticate");
    expect(log.match(TOKEN_SCAN_REGEX)).toBeNull();
    expect(log).not.toContain("code=");
  });

  it("from the Accounts menu too; a link carrying someone else's state is ignored", async () => {
    const { provider } = await started();
    const account = await server.signUp("Acc Ounts");
    const forged = Uri.parse("vscode://claudemesh.claudemesh/did-authenticate?state=not-yours&code=stolen");
    const browser = signedInBrowser(account.cookie, "approve", () => {
      for (const handler of uriHandlers) handler.handleUri(forged);
    });
    answers.openExternal = browser.open;
    const session = await provider.createSession([], {});
    expect(session.account.label).toBe("Acc Ounts");
    expect(outputLines).toContain("warn ignored a sign-in link that belongs to no sign-in waiting here");
  });

  it("a denial in the browser ends it there: no code is offered instead", async () => {
    const { status } = await started();
    const account = await server.signUp("Deny Al");
    answers.openExternal = signedInBrowser(account.cookie, "deny").open;
    await commands.executeCommand("claudemesh.signIn");
    expect(messages).toEqual([
      expect.objectContaining({
        kind: "error",
        message: expect.stringContaining("The sign-in was denied in the browser."),
      }),
    ]);
    expect(status.text).toBe("$(sign-in) claudemesh: Sign In");
  });

  it("cancelled while waiting for the browser: offers a code instead, and the code signs in", async () => {
    const { status } = await started();
    const account = await server.signUp("Can Celled");
    answers.openExternal = (url) => {
      // The browser never comes back; the person presses Cancel on the progress notification.
      if (new URL(url).pathname === "/cli-auth/authorize") queueMicrotask(() => progressRuns.at(-1)?.cancel());
      return true;
    };
    let approval: Promise<Response> | undefined;
    answers.message = (message, items) => {
      if (items.includes("Use a Code")) return "Use a Code";
      const code = message.match(/[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}/)?.[0];
      if (code) approval = server.decide(code, "approve", account.cookie);
      return "Open Browser";
    };
    await commands.executeCommand("claudemesh.signIn");
    expect((await approval)?.status).toBe(200);
    expect(status.text).toBe("$(account) Can Celled");
    expect(messages.map((message) => message.message)).toEqual([
      "Having trouble signing in through the browser? Sign in with a code instead.",
      expect.stringMatching(/^Your claudemesh code is [A-Z]{4}-[A-Z]{4}\. Approve it in the browser to sign in\.$/),
      "Signed in to claudemesh as Can Celled.",
    ]);
    expect(clipboardText.value).toBe(""); // copied only when asked
    expect((await savedLogin()).source).toBe("device-code");
  });
});

describe("the extension against a real server", () => {
  it("starts signed out: a Sign In status bar item and the welcome view's context", async () => {
    const { status } = await started();
    expect(contextKeys.get("claudemesh.signedIn")).toBe(false);
    expect(status.text).toBe("$(sign-in) claudemesh: Sign In");
    expect(status.command).toBe("claudemesh.signIn");
    expect(authProviders.get("claudemesh")?.label).toBe("claudemesh");
  });

  it("signs in with a pasted access token, checked with the server and shared with the CLI", async () => {
    const { status } = await started();
    const changes: unknown[] = [];
    const provider = authProviders.get("claudemesh")?.provider as vscode.AuthenticationProvider;
    provider.onDidChangeSessions((change) => changes.push(change));

    answers.inputBox = (options) => {
      expect(options.validateInput?.("not a token")).toContain("not a claudemesh token");
      return undefined; // dismissed: nothing happens
    };
    await commands.executeCommand("claudemesh.signInWithToken");
    expect(status.text).toContain("Sign In");

    const { token } = await signInWithPat("Vera Code");
    expect(status.text).toBe("$(account) Vera Code");
    expect(status.tooltip).toContain(server.url);
    const sessions = await provider.getSessions(undefined, {});
    expect(sessions).toEqual([
      expect.objectContaining({ accessToken: token, account: expect.objectContaining({ label: "Vera Code" }) }),
    ]);
    expect(changes).toEqual([expect.objectContaining({ added: [expect.objectContaining({ accessToken: token })] })]);
    const authFile = await savedLogin();
    expect(authFile).toMatchObject({ token, source: "pat", user: { name: "Vera Code" } });
  });

  it("in a window served over https (Codespaces, code-server on a domain), signs in with a device code; signs out revoking it", async () => {
    const { status } = await started();
    // Such a window's callback is a web address, which the server refuses: no redirect is tried.
    answers.externalUri = () =>
      Uri.parse(
        "https://ada.codespace.example/callback?vscode-reqid=1&vscode-scheme=vscode&vscode-authority=claudemesh.claudemesh",
      );
    const account = await server.signUp("Dev Ice");
    let approval: Promise<Response> | undefined;
    answers.message = (message, items) => {
      const code = message.match(/[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}/)?.[0];
      if (code) approval = server.decide(code, "approve", account.cookie);
      return items[0]; // Copy Code & Open Browser
    };
    await commands.executeCommand("claudemesh.signIn");
    expect((await approval)?.status).toBe(200);
    expect(openedUrls).toEqual([expect.stringMatching(/\/cli-auth\?code=[A-Z]{4}-[A-Z]{4}$/)]);
    expect(status.text).toBe("$(account) Dev Ice");
    const token = (await savedLogin()).token as string;
    expect(token).toMatch(/^cm_session_/);

    await commands.executeCommand("claudemesh.signOut");
    expect(status.text).toContain("Sign In");
    const after = await fetch(new URL("/api/my/whoami", server.url), { headers: { authorization: `Bearer ${token}` } });
    expect(after.status).toBe(401);
    expect(messages.at(-1)?.message).toContain("revoked on the server");
    // The output channel tells support what happened, never with the token.
    const log = outputLines.join("\n");
    expect(log).toContain("info signed in as Dev Ice <");
    expect(log).toContain("info checking the identity (signed out here)");
    expect(log).toContain(
      "info the browser would come back through https://ada.codespace.example, which the server refuses; using a code",
    );
    expect(log.match(TOKEN_SCAN_REGEX)).toBeNull();
  });

  it("lists CLI sessions, access tokens and meshes, and revokes a session from the tree", async () => {
    await activated();
    const { account } = await signInWithPat("Tree Hugger");
    const origin = new URL(server.url).origin;
    await fetch(new URL("/api/my/meshes", server.url), {
      method: "POST",
      headers: { "content-type": "application/json", origin, cookie: account.cookie },
      body: JSON.stringify({ name: `Tree mesh ${Date.now()}` }),
    });
    // A terminal signs in to the same account.
    const terminalToken = await server.terminalSession(account.cookie);

    const sessionRows = await rows("sessions");
    expect(sessionRows.map((row) => row.label)).toEqual(["build-box · linux · arm64"]);
    expect((await rows("tokens")).map((row) => row.label)).toEqual(["vscode"]);
    const meshRows = await rows("meshes");
    expect(meshRows[0]?.label).toMatch(/^tree-mesh-\d+$/);
    expect((await rows("account")).map((row) => row.label)).toContain("Tree Hugger");

    const tree = treeProviders.get("claudemesh.sessions") as RemoteTree;
    const [node] = (await tree.getChildren()) as TreeNode[];
    answers.message = (_message, items) => items[0]; // confirm "Revoke"
    await commands.executeCommand("claudemesh.sessions.revoke", node);
    const revoked = await fetch(new URL("/api/my/whoami", server.url), {
      headers: { authorization: `Bearer ${terminalToken}` },
    });
    expect(revoked.status).toBe(401);
    expect((await rows("sessions")).map((row) => row.label)).toEqual(["No terminals are signed in."]);

    const [mesh] = (await (treeProviders.get("claudemesh.meshes") as RemoteTree).getChildren()) as TreeNode[];
    await commands.executeCommand("claudemesh.meshes.launch", mesh);
    expect(terminals[0]?.sent[0]).toMatch(/^claudemesh launch --mesh tree-mesh-\d+$/);
  });

  it("shows a mesh's members with who is online, and blocks and unblocks one from the tree", async () => {
    await activated();
    const { token } = await signInWithPat("Ada Owner");
    const ada = await ApiClient.create({ baseUrl: server.url, token, env: readSdkEnv({}) });
    const mesh = await ada.createMesh({ name: `Peers ${Date.now()}` });
    // A second account joins with an invite and connects to the broker, as a launched session would.
    const bo = await server.signUp("Bo Peer");
    const boToken = (await server.createPat(bo.cookie, "bo")).token;
    const boApi = await ApiClient.create({ baseUrl: server.url, token: boToken, env: readSdkEnv({}) });
    const invite = await ada.createInvite(mesh.slug, { role: "member", expires_in: 3600 });
    await boApi.acceptInvite(invite.url.split("/invite/")[1] ?? "");
    const boId = (await boApi.whoami()).user.id;
    const boOnline = await MeshConnection.open({
      apiUrl: server.url,
      token: boToken,
      mesh: mesh.slug,
      hello: { kind: "cli", display_name: "Bo's laptop", host: "bo-box" },
    });

    const tree = treeProviders.get("claudemesh.meshes") as RemoteTree;
    const members = async () => {
      const [meshNode] = (await tree.getChildren()) as TreeNode[];
      return (await tree.getChildren(meshNode)) as TreeNode[];
    };
    const shown = async () =>
      (await members()).map((node) => {
        const item = node.treeItem();
        return `${item.label} | ${item.description} | ${item.contextValue}`;
      });
    expect(await shown()).toEqual([
      "Bo Peer | online · 1 session | claudemesh.member",
      "Ada Owner | you · offline | claudemesh.member.you",
    ]);
    const [boNode] = await members();
    const [boSession] = ((await boNode?.children?.()) ?? []) as TreeNode[];
    expect(boSession?.treeItem().label).toBe("Bo's laptop");
    expect(boSession?.treeItem().description).toBe("cli · bo-box");

    // Block asks first; declining changes nothing.
    answers.message = () => undefined;
    await commands.executeCommand("claudemesh.meshes.block", boNode);
    expect(messages.at(-1)).toMatchObject({ kind: "warning", items: ["Block"] });
    expect(messages.at(-1)?.message).toBe(
      `Block Bo Peer in ${mesh.slug}? Their direct messages and broadcasts to you are dropped, and they are not told.`,
    );
    expect(await ada.getGrants(mesh.slug)).toEqual({ peers: {} });

    answers.message = (_message, items) => items[0];
    await commands.executeCommand("claudemesh.meshes.block", boNode);
    expect(await ada.getGrants(mesh.slug)).toEqual({ peers: { [boId]: [] } });
    expect(await boApi.getGrants(mesh.slug)).toEqual({ peers: {} });
    expect((await shown())[0]).toBe("Bo Peer | blocked · online · 1 session | claudemesh.member.blocked");

    const [blockedNode] = await members();
    await commands.executeCommand("claudemesh.meshes.unblock", blockedNode);
    expect(await ada.getGrants(mesh.slug)).toEqual({ peers: {} });
    expect((await shown())[0]).toBe("Bo Peer | online · 1 session | claudemesh.member");

    // Gone from the broker: offline at the next read (the server removes the connection as the socket closes).
    await boOnline.close();
    await eventually(async () => expect((await shown())[1]).toBe("Bo Peer | offline | claudemesh.member"), 20_000);
    expect(messages.filter((message) => message.kind === "error")).toEqual([]);
  });

  it("shows a CLI login made in a terminal within a second, and a revoked token as 'Sign in again'", async () => {
    const { status } = await started();
    await eventually(() => expect(contextKeys.get("claudemesh.signedIn")).toBe(false));
    const account = await server.signUp("Term Inal");
    const { token } = await server.createPat(account.cookie, "terminal");
    // The CLI's store, keeping the login as `claudemesh login --with-token` does (the keychain, auth.json).
    const cli = new CredentialStore({ apiUrl: server.url, configDir });
    const me = { id: "x", name: "Term Inal", email: account.email };
    await cli.save({ token, user: me, expiresAt: null, source: "pat" });
    await eventually(() => expect(status.text).toBe("$(account) Term Inal"), 1500);

    const tokens = (await (
      await fetch(new URL("/api/my/cli/tokens", server.url), { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { tokens: { id: string }[] };
    await fetch(new URL(`/api/my/cli/tokens/${tokens.tokens[0]?.id}`, server.url), {
      method: "DELETE",
      headers: { authorization: `Bearer ${token}` },
    });
    await commands.executeCommand("claudemesh.refresh");
    expect(status.text).toBe("$(warning) claudemesh: Sign in again");
    expect(status.command).toBe("claudemesh.signIn");

    await cli.clear(); // `claudemesh logout` in the terminal
    await eventually(() => expect(status.text).toBe("$(sign-in) claudemesh: Sign In"), 1500);
  });

  it("signing in over a terminal's session replaces it and revokes it, as `claudemesh login --force` does", async () => {
    await started();
    const account = await server.signUp("Re Placed");
    const replaced = await server.terminalSession(account.cookie);
    const cli = new CredentialStore({ apiUrl: server.url, configDir });
    await cli.save({
      token: replaced,
      user: { id: "x", name: "Re Placed", email: account.email },
      expiresAt: null,
      source: "device-code",
    });
    const { token } = await server.createPat(account.cookie, "vscode");
    answers.inputBox = () => token;
    await commands.executeCommand("claudemesh.signInWithToken");
    expect((await cli.load())?.token).toBe(token);
    expect(await whoamiStatus(replaced)).toBe(401);
    expect(await whoamiStatus(token)).toBe(200);
  });

  it("Create Token opens the dashboard's token page: only a browser session may make one", async () => {
    await activated();
    await signInWithPat("Life Time");
    openedUrls.length = 0;
    await commands.executeCommand("claudemesh.tokens.create");
    expect(openedUrls).toEqual([`${server.url}/dashboard/settings/cli-tokens`]);
  });

  it("follows claudemesh.apiUrl without a reload: the new server's store and identity at once, and back", async () => {
    const { status } = await started();
    await signInWithPat("Set Ting");
    expect(status.text).toBe("$(account) Set Ting");
    // The same server under another origin: to the extension (and the keychain account) another server.
    const other = new URL(server.url);
    other.hostname = other.hostname === "localhost" ? "127.0.0.1" : "localhost";
    const otherUrl = other.origin;

    changeSetting("claudemesh.apiUrl", otherUrl);
    await eventually(() => expect(status.text).toBe("$(sign-in) claudemesh: Sign In"));
    expect(outputLines).toContain(`info server ${otherUrl} (claudemesh.apiUrl changed)`);
    expect(outputLines).toContain("info checking the identity (the server changed)");
    const { token } = await signInWithPat("Other Origin");
    expect(status.text).toBe("$(account) Other Origin");
    expect(status.tooltip).toContain(otherUrl);
    expect(await savedLogin(otherUrl)).toMatchObject({ token, api_url: otherUrl, user: { name: "Other Origin" } });

    // Logins are kept per server: the first one was neither orphaned nor overwritten.
    changeSetting("claudemesh.apiUrl", server.url);
    await eventually(() => expect(status.text).toBe("$(account) Set Ting"));
  });

  it("with no keychain module in the package, keeps a login in auth.json and says so once", async () => {
    const { status } = await started(configDir); // installed in a folder with no dist/native/keytar.node
    const { token } = await signInWithPat("File Fallback");
    expect(status.text).toBe("$(account) File Fallback");
    expect(await savedLogin()).toMatchObject({ token_store: "file", token });
    // Once, by the store as it falls back (its words are the SDK's, shared with the CLI).
    // Warnings only: a check still finishing from the test before may log "signed in … (pat from keychain)".
    const said = outputLines.filter((line) => line.startsWith("warn ") && line.includes("keychain"));
    expect(said, said.join("\n")).toHaveLength(1);
    expect(said[0]).toContain(`no keychain module for ${process.platform}-${process.arch}`);
    expect(said[0]).toContain(join(configDir, "auth.json"));
    expect(said[0]).toMatch(/^warn /);
  });

  it("with no keychain in either door (no session bus), both use auth.json and agree on who is signed in", async () => {
    const account = await server.signUp("No Bus");
    const { token } = await server.createPat(account.cookie, "ssh-box");
    // An SSH box or a container: no D-Bus session, so neither door has a keychain (this test is about that fallback).
    const noBus = {
      CLAUDEMESH_API_URL: server.url,
      CLAUDEMESH_CONFIG_DIR: configDir,
      DBUS_SESSION_BUS_ADDRESS: "",
      DO_NOT_TRACK: "1",
    };
    const login = await runCli(["login", "--with-token"], noBus, `${token}\n`);
    expect(login.code, login.stderr).toBe(0);
    expect(login.stderr.match(/OS keychain/g)).toHaveLength(1); // said once
    expect(login.stderr).toContain(join(configDir, "auth.json"));

    process.env.DBUS_SESSION_BUS_ADDRESS = "";
    const { status } = await started();
    await eventually(() => expect(status.text).toBe("$(account) No Bus"));
    expect(status.tooltip).toContain("auth.json (shared with the CLI)");
    const whoami = await runCli(["whoami", "--json"], noBus);
    expect(JSON.parse(whoami.stdout)).toMatchObject({ user: { name: "No Bus" }, credential: { source: "file" } });
  });

  it("uses CLAUDEMESH_TOKEN from VS Code's environment and will not sign it out", async () => {
    const account = await server.signUp("Env Ironment");
    const { token } = await server.createPat(account.cookie, "env");
    process.env.CLAUDEMESH_TOKEN = token;
    const { status } = await started();
    await eventually(() => expect(status.text).toBe("$(account) Env Ironment"));
    expect(status.tooltip).toContain("CLAUDEMESH_TOKEN");
    await commands.executeCommand("claudemesh.signOut");
    expect(messages.at(-1)).toMatchObject({ kind: "error", message: expect.stringContaining("unset it to sign out") });
    expect(status.text).toBe("$(account) Env Ironment");
  });
});
