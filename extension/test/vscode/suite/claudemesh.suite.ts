// What the extension offers through the real `vscode` API, asserted from
// another extension in the same host, as any extension using claudemesh sees
// it. Expects `claudemesh login` to have been run before the editor started
// (CLAUDEMESH_CONFIG_DIR, CLAUDEMESH_TOKEN_STORE=file); ends signed out.
import * as assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import * as vscode from "vscode";
import type { ClaudemeshExports, TreeName } from "../../../src/extension.js";

const EXTENSION_ID = "claudemesh.claudemesh";
const PROVIDER = "claudemesh";

export interface InHostTest {
  name: string;
  run(): Promise<void>;
}

/** The CLI's auth.json: the identity every door should show. */
function cliLogin() {
  const file = join(process.env.CLAUDEMESH_CONFIG_DIR ?? join(homedir(), ".claudemesh"), "auth.json");
  const auth = JSON.parse(readFileSync(file, "utf8")) as {
    token?: string;
    api_url: string;
    user: { name: string; email: string };
  };
  return { file, auth };
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
  const { auth } = cliLogin();
  assert.ok(auth.token, "auth.json holds no token (CLAUDEMESH_TOKEN_STORE=file expected)");
  const response = await fetch(new URL(path, auth.api_url), { headers: { authorization: `Bearer ${auth.token}` } });
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
    name: "the authentication provider is registered and knows the CLI's account",
    run: async () => {
      const accounts = await vscode.authentication.getAccounts(PROVIDER);
      assert.deepEqual(
        accounts.map((account) => account.label),
        [cliLogin().auth.user.name],
      );
    },
  },
  {
    name: "authentication.getSession returns the CLI's identity, with createIfNone: false once allowed",
    run: async () => {
      const { auth } = cliLogin();
      // Never start a sign-in from here: only ask with createIfNone when the account is there.
      const accounts = await vscode.authentication.getAccounts(PROVIDER);
      assert.deepEqual(
        accounts.map((account) => account.label),
        [auth.user.name],
      );
      // Another extension reads a session only once the person allows it (a dialog); with a
      // session already there, this asks only that, and starts no sign-in.
      const allowed = await vscode.authentication.getSession(PROVIDER, [], { createIfNone: true });
      assert.equal(allowed.account.label, auth.user.name);
      const session = await vscode.authentication.getSession(PROVIDER, [], { createIfNone: false });
      assert.ok(session, "no session without createIfNone");
      assert.equal(session.account.label, auth.user.name);
      if (auth.token) assert.equal(session.accessToken, auth.token);
    },
  },
  {
    name: "the sidebar's trees show the account and what the server lists",
    run: async () => {
      const { auth } = cliLogin();
      assert.deepEqual(await rows("account"), [
        `${auth.user.name} — ${auth.user.email}`,
        `Server — ${auth.api_url}`,
        "Source — file",
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
      const { file } = cliLogin();
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
      assert.equal(existsSync(file), false, "auth.json is still there");
    },
  },
];
