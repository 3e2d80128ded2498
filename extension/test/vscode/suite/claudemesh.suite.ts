// What the extension offers through the real `vscode` API, asserted from
// another extension in the same host, as any extension using claudemesh sees
// it. Expects `claudemesh login` to have been run before the editor started, on
// the same keyring and CLAUDEMESH_CONFIG_DIR as the editor's; ends signed out.
import * as assert from "node:assert/strict";
import { createRequire } from "node:module";
import { join } from "node:path";
import { CredentialStore, keychainAccount, loadKeytarKeychain } from "@claudemesh/sdk";
import * as vscode from "vscode";
import type { ClaudemeshExports, TreeName } from "../../../src/extension.js";

const EXTENSION_ID = "claudemesh.claudemesh";
const PROVIDER = "claudemesh";

export interface InHostTest {
  name: string;
  run(): Promise<void>;
}

/** The server the extension talks to, found as it finds it: the setting, else CLAUDEMESH_API_URL. */
function apiUrl(): string {
  const url =
    vscode.workspace.getConfiguration("claudemesh").get<string>("apiUrl")?.trim() || process.env.CLAUDEMESH_API_URL;
  assert.ok(url, "neither claudemesh.apiUrl nor CLAUDEMESH_API_URL names the server");
  return url;
}

/**
 * The store the CLI and the extension share, read here with the keychain module
 * the platform package ships (as the extension reads it), never by parsing auth.json.
 */
function sharedStore(): CredentialStore {
  return new CredentialStore({ apiUrl: apiUrl(), configDir: process.env.CLAUDEMESH_CONFIG_DIR, loadKeychain });
}

/** The OS keychain through the module the platform package ships, loaded with this host's require. */
function loadKeychain() {
  const module = join(claudemesh().extensionPath, "dist", "native", "keytar.node");
  return loadKeytarKeychain({ load: async () => createRequire(module)(module) });
}

/** The CLI's login: the identity every door should show, and its token. */
async function cliLogin() {
  const stored = await sharedStore().load();
  assert.ok(stored, `no login stored for ${apiUrl()}`);
  return { token: stored.token, store: stored.store, record: stored.record };
}

function claudemesh(): vscode.Extension<ClaudemeshExports> {
  const extension = vscode.extensions.getExtension<ClaudemeshExports>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  return extension;
}

/** One of the extension's trees as `label — description` lines. */
async function rows(tree: TreeName): Promise<string[]> {
  const items = await (await claudemesh().activate()).treeItems(tree);
  return items.map(
    (item) => `${typeof item.label === "string" ? item.label : item.label?.label} — ${item.description ?? ""}`,
  );
}

/** The server's own answer, with the CLI's token. */
async function server<T>(path: string): Promise<T> {
  const { token } = await cliLogin();
  const response = await fetch(new URL(path, apiUrl()), { headers: { authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200, `${path} answered ${response.status}`);
  return (await response.json()) as T;
}

export const IN_HOST_TESTS: InHostTest[] = [
  {
    name: "claudemesh is active and registers its commands",
    run: async () => {
      const extension = claudemesh();
      await extension.activate(); // a no-op once start-up has activated it
      assert.ok(extension.isActive);
      const contributed = (extension.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
      assert.ok(contributed.length >= 10);
      const registered = new Set(await vscode.commands.getCommands(true));
      assert.deepEqual(
        contributed.filter((command) => !registered.has(command)),
        [],
      );
    },
  },
  {
    // Module loaded is what is asserted: with no Secret Service reachable its calls are refused, which is another test's.
    name: "the OS keychain module the platform package ships loads in this extension host",
    run: async () => {
      const extension = claudemesh();
      const status = await (await extension.activate()).keychainModule();
      assert.ok(status.loaded, `the keychain module did not load: ${status.loaded ? "" : status.reason}`);
      assert.equal(status.path, join(extension.extensionPath, "dist", "native", "keytar.node"));
    },
  },
  {
    name: "the CLI's token is in the OS keychain, and auth.json only says whose it is",
    run: async () => {
      const { store, record } = await cliLogin();
      assert.equal(store, "keychain");
      assert.equal(record.token_store, "keychain");
      assert.equal(record.token, undefined, "auth.json holds the token");
    },
  },
  {
    name: "the authentication provider is registered and knows the CLI's account",
    run: async () => {
      const accounts = await vscode.authentication.getAccounts(PROVIDER);
      assert.deepEqual(
        accounts.map((account) => account.label),
        [(await cliLogin()).record.user.name],
      );
    },
  },
  {
    name: "authentication.getSession returns the CLI's identity, with createIfNone: false once allowed",
    run: async () => {
      const { record, token } = await cliLogin();
      // Never start a sign-in from here: only ask with createIfNone when the account is there.
      const accounts = await vscode.authentication.getAccounts(PROVIDER);
      assert.deepEqual(
        accounts.map((account) => account.label),
        [record.user.name],
      );
      // Another extension reads a session only once the person allows it (a dialog); with a
      // session already there, this asks only that, and starts no sign-in.
      const allowed = await vscode.authentication.getSession(PROVIDER, [], { createIfNone: true });
      assert.equal(allowed.account.label, record.user.name);
      const session = await vscode.authentication.getSession(PROVIDER, [], { createIfNone: false });
      assert.ok(session, "no session without createIfNone");
      assert.equal(session.account.label, record.user.name);
      assert.equal(session.accessToken, token);
    },
  },
  {
    name: "the sidebar's trees show the account and what the server lists",
    run: async () => {
      const { record } = await cliLogin();
      assert.deepEqual(await rows("account"), [
        `${record.user.name} — ${record.user.email}`,
        `Server — ${apiUrl()}`,
        "Source — keychain",
      ]);
      const tokens = await server<{ tokens: { name: string }[] }>("/api/my/cli/tokens");
      const tokenRows = (await rows("tokens")).map((row) => row.split(" — ")[0]);
      assert.deepEqual(tokenRows, tokens.tokens.length ? tokens.tokens.map((t) => t.name) : ["No access tokens yet."]);
      const meshes = await server<{ meshes: { slug: string }[] }>("/api/my/meshes");
      const meshRows = (await rows("meshes")).map((row) => row.split(" — ")[0]);
      assert.deepEqual(meshRows, meshes.meshes.length ? meshes.meshes.map((m) => m.slug) : ["No meshes yet."]);
    },
  },
  {
    name: "Sign Out clears the session, for other extensions and for the CLI",
    run: async () => {
      const { record } = await cliLogin();
      const removed = new Promise<void>((resolve) => {
        const listening = vscode.authentication.onDidChangeSessions((change) => {
          if (change.provider.id !== PROVIDER) return;
          listening.dispose();
          resolve();
        });
      });
      await vscode.commands.executeCommand("claudemesh.signOut");
      await removed;
      assert.equal(await vscode.authentication.getSession(PROVIDER, [], { createIfNone: false }), undefined);
      assert.deepEqual(await vscode.authentication.getAccounts(PROVIDER), []);
      // Gone from the shared store, and its keychain entry with it: the CLI is signed out too.
      assert.equal(await sharedStore().load(), null);
      const keychain = await loadKeychain();
      const account = keychainAccount(apiUrl(), record.user.id, record.token_fingerprint ?? "");
      assert.equal(await keychain.get(account), null, "the keychain entry is left");
    },
  },
];
