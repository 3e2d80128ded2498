import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { ApiClient, Grants, MemberPresence, PeerList } from "@claudemesh/sdk";
import { beforeEach, describe, expect, it } from "vitest";
import type { Disposable } from "vscode";
import { l10nBundle, resetFake, type ThemeIcon } from "../../test/fake-vscode.js";
import { MEMBER_CONTEXT, type MemberNode, memberRows, type PeerSessionNode } from "./mesh-nodes.js";
import { PRESENCE_REFRESH_MS, schedulePresenceRefresh } from "./presence-refresh.js";

const BUNDLE = fileURLToPath(new URL("../../l10n/bundle.l10n.es.json", import.meta.url));
const WHEN = "2026-12-06T10:00:00.000Z";
const MESH = { id: "mesh-1", slug: "platform" };

const member = (id: string, name: string, overrides: Partial<MemberPresence> = {}): MemberPresence => ({
  member_id: id,
  name,
  mesh_role: "member",
  online: false,
  last_seen_at: null,
  sessions: [],
  ...overrides,
});
const session = (memberId: string, sessionId: string) => ({
  member_id: memberId,
  session_id: sessionId,
  display_name: `${memberId}-laptop`,
  role: "reviewer",
  host: "laptop",
  kind: "claude-code" as const,
  connected_at: WHEN,
});

/** An identity whose calls answer the given peers and grants, recording which endpoints were read. */
function identityAnswering(peers: PeerList, grants: Grants) {
  const asked: string[] = [];
  const api = {
    listPeers: async (mesh: string) => {
      asked.push(`peers ${mesh}`);
      return peers;
    },
    getGrants: async (mesh: string) => {
      asked.push(`grants ${mesh}`);
      return grants;
    },
  } as unknown as ApiClient;
  return { asked, identity: { call: <T>(request: (api: ApiClient) => Promise<T>) => request(api) } };
}

const shown = (nodes: unknown[]) =>
  (nodes as MemberNode[]).map((node) => {
    const item = node.treeItem();
    return [item.label, item.description, (item.iconPath as ThemeIcon).id, item.contextValue, item.collapsibleState];
  });

beforeEach(() => resetFake());

describe("a mesh's members in the Meshes tree", () => {
  const peers: PeerList = {
    members: [
      member("ada", "Ada", { mesh_role: "owner", last_seen_at: WHEN }),
      member("bo", "Bo", { online: true, last_seen_at: WHEN, sessions: [session("bo", "s-1"), session("bo", "s-2")] }),
      member("cy", "Cy", { online: true, last_seen_at: WHEN, sessions: [session("cy", "s-3")] }),
      member("di", "Di"),
      member("ed", "Ed"),
    ],
  };
  const grants: Grants = { peers: { cy: [], di: ["dm"], ed: ["dm", "broadcast"] } };

  it("show who is online first, what you allow each, and Block or Unblock by context; your own row has neither", async () => {
    const { identity, asked } = identityAnswering(peers, grants);
    const rows = await memberRows(identity, MESH, "ada");
    expect(asked).toEqual(["peers platform", "grants platform"]);
    expect(shown(rows)).toEqual([
      ["Bo", "online · 2 sessions", "circle-filled", MEMBER_CONTEXT.allowed, 1],
      ["Cy", "blocked · online · 1 session", "circle-slash", MEMBER_CONTEXT.blocked, 1],
      ["Ada", "you · offline", "circle-outline", MEMBER_CONTEXT.you, 0],
      ["Di", "direct messages only · offline", "circle-outline", MEMBER_CONTEXT.allowed, 0],
      ["Ed", "offline", "circle-outline", MEMBER_CONTEXT.allowed, 0],
    ]);
    expect((rows[2] as MemberNode).treeItem().tooltip).toMatch(/^ada · last seen /);
    expect((rows[3] as MemberNode).treeItem().tooltip).toBe("di · direct messages only · never connected");
  });

  it("lead with what you allow a member, which a narrow sidebar would cut from the end, and say it on hover too", async () => {
    // Seen in code-server at its default sidebar width: "online · 1 session · bl…", and a hover without the word.
    const { identity } = identityAnswering(peers, grants);
    const [, cy] = (await memberRows(identity, MESH, "ada")) as MemberNode[];
    expect(String(cy?.treeItem().description)).toMatch(/^blocked · /);
    expect(cy?.treeItem().tooltip).toBe("cy · blocked · online · 1 session");
  });

  it("list a member's sessions under them: name, kind, role and host", async () => {
    const { identity } = identityAnswering(peers, grants);
    const [bo] = (await memberRows(identity, MESH, "ada")) as MemberNode[];
    const sessions = ((await bo?.children()) ?? []) as PeerSessionNode[];
    expect(sessions.map((node) => [node.treeItem().label, node.treeItem().description])).toEqual([
      ["bo-laptop", "claude-code · reviewer · laptop"],
      ["bo-laptop", "claude-code · reviewer · laptop"],
    ]);
    expect(sessions.map((node) => node.treeItem().id)).toEqual(["peer:bo:s-1", "peer:bo:s-2"]);
  });

  it("in Spanish", async () => {
    const translations = JSON.parse(await readFile(BUNDLE, "utf8")) as Record<string, string>;
    for (const [english, spanish] of Object.entries(translations)) l10nBundle.set(english, spanish);
    const { identity } = identityAnswering(peers, grants);
    expect(shown(await memberRows(identity, MESH, "ada")).map((row) => row[1])).toEqual([
      "conectado · 2 sesiones",
      "bloqueado · conectado · 1 sesión",
      "tú · desconectado",
      "solo mensajes directos · desconectado",
      "desconectado",
    ]);
  });
});

describe("presence refresh", () => {
  it("reloads the Meshes tree once a minute, only while it is wanted (window in front, signed in)", () => {
    let tick = () => {};
    let period = 0;
    let refreshed = 0;
    let wanted = true;
    const every = (ms: number, run: () => void) => {
      period = ms;
      tick = run;
      return { dispose() {} } as Disposable;
    };
    schedulePresenceRefresh({ refresh: () => refreshed++, wanted: () => wanted, every });
    expect(period).toBe(PRESENCE_REFRESH_MS);
    tick();
    expect(refreshed).toBe(1);
    wanted = false;
    tick();
    tick();
    expect(refreshed).toBe(1);
  });
});
