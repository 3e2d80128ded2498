import { randomUUID } from "node:crypto";
import { CreatedInvite, Grants, PeerList } from "@claudemesh/sdk/contracts";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, brokerConnection, brokerInstance, cliToken } from "../src/db/schema.js";
import { createTestApp, signUp, type TestAccount, type TestApp } from "./support/test-app.js";
import { DATABASE_KINDS } from "./support/test-database.js";

// `GET /api/my/meshes/:mesh/peers` and `GET|POST /api/my/meshes/:mesh/grants` (issue 26).
describe.each(DATABASE_KINDS)("peers and grants on %s", (kind) => {
  let testApp: TestApp;
  let owner: TestAccount;
  let member: TestAccount;
  let outsider: TestAccount;
  let mesh: string;
  beforeAll(async () => {
    testApp = await createTestApp(kind);
    [owner, member, outsider] = [await signUp(testApp), await signUp(testApp), await signUp(testApp)];
    const created = await testApp.postJson("/api/my/meshes", { name: `Peers ${randomUUID().slice(0, 6)}` }, owner);
    mesh = ((await created.json()) as { slug: string }).slug;
    const invite = CreatedInvite.parse(
      await (await testApp.postJson(`/api/my/meshes/${mesh}/invites`, {}, owner)).json(),
    );
    const secret = invite.url.split("/invite/")[1] ?? "";
    expect((await testApp.postJson(`/api/invites/${secret}/accept`, {}, member)).status).toBe(200);
  });
  afterAll(() => testApp.close());

  const grantsOf = async (account: TestAccount) => {
    const response = await testApp.get(`/api/my/meshes/${mesh}/grants`, account);
    expect(response.status).toBe(200);
    return Grants.parse(await response.json());
  };
  const setGrant = (account: TestAccount, body: unknown) =>
    testApp.postJson(`/api/my/meshes/${mesh}/grants`, body, account);

  it("lists every member with presence: offline and never seen until a broker connection is recorded", async () => {
    const before = PeerList.parse(await (await testApp.get(`/api/my/meshes/${mesh}/peers`, member)).json());
    expect(before.members.map((each) => [each.member_id, each.mesh_role, each.online, each.last_seen_at])).toEqual([
      [owner.id, "owner", false, null],
      [member.id, "member", false, null],
    ]);

    // A connection as an instance of the broker records it (the broker's own tests drive real sockets).
    const { db } = testApp.database;
    const [token] = await db
      .insert(cliToken)
      .values({
        id: randomUUID(),
        userId: owner.id,
        kind: "pat",
        name: "peers",
        tokenHash: randomUUID(),
      })
      .returning();
    const instanceId = randomUUID();
    const now = testApp.clock.now();
    await db.insert(brokerInstance).values({ id: instanceId, startedAt: now, heartbeatAt: now });
    const connection = {
      instanceId,
      meshId: await meshId(),
      memberId: owner.id,
      tokenId: token?.id ?? "",
      displayName: "Owner's laptop",
      role: "reviewer",
      host: "laptop",
      kind: "claude-code",
      connectedAt: now,
    };
    await db.insert(brokerConnection).values([
      { ...connection, id: randomUUID(), sessionId: "visible-session", visible: true },
      { ...connection, id: randomUUID(), sessionId: "hidden-session", visible: false },
    ]);

    const after = PeerList.parse(await (await testApp.get(`/api/my/meshes/${mesh}/peers`, member)).json());
    const listed = after.members.find((each) => each.member_id === owner.id);
    expect(listed?.online).toBe(true);
    // A short-lived command (visible: false) is not listed.
    expect(listed?.sessions).toEqual([
      {
        member_id: owner.id,
        session_id: "visible-session",
        display_name: "Owner's laptop",
        role: "reviewer",
        host: "laptop",
        kind: "claude-code",
        connected_at: now.toISOString(),
      },
    ]);
  });

  async function meshId(): Promise<string> {
    const list = (await (await testApp.get("/api/my/meshes", owner)).json()) as {
      meshes: { id: string; slug: string }[];
    };
    return list.meshes.find((each) => each.slug === mesh)?.id ?? "";
  }

  it("answers 404 to someone outside the mesh and 401 to nobody", async () => {
    expect((await testApp.get(`/api/my/meshes/${mesh}/peers`, outsider)).status).toBe(404);
    expect((await testApp.get(`/api/my/meshes/${mesh}/grants`, outsider)).status).toBe(404);
    expect((await setGrant(outsider, { peer: owner.id, capabilities: [] })).status).toBe(404);
    expect((await testApp.get(`/api/my/meshes/${mesh}/peers`)).status).toBe(401);
  });

  it("grants start empty (everyone may do everything); block, narrow and restore change only the caller's own row", async () => {
    expect(await grantsOf(member)).toEqual({ peers: {} });
    const blocked = await setGrant(member, { peer: owner.id, capabilities: [] });
    expect(blocked.status).toBe(200);
    expect(Grants.parse(await blocked.json())).toEqual({ peers: { [owner.id]: [] } });
    const narrowed = await setGrant(member, { peer: owner.id, capabilities: ["dm", "dm"] });
    expect(Grants.parse(await narrowed.json())).toEqual({ peers: { [owner.id]: ["dm"] } });
    // The owner's own grants are untouched by the member's.
    expect(await grantsOf(owner)).toEqual({ peers: {} });
    const restored = await setGrant(member, { peer: owner.id, capabilities: null });
    expect(Grants.parse(await restored.json())).toEqual({ peers: {} });
    // Each change is in the audit log: who changed what they allow whom.
    const audited = await testApp.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.userId, member.id), eq(auditLog.action, "mesh.grant.changed")));
    const changes = audited.map((row) => JSON.stringify([row.targetId, row.metadata?.capabilities]));
    expect(changes.sort()).toEqual(
      [
        [owner.id, []],
        [owner.id, ["dm"]],
        [owner.id, null],
      ]
        .map((change) => JSON.stringify(change))
        .sort(),
    );
  });

  it.each([
    [{ peer: "someone", capabilities: ["dm", "write"] }, 400, "capabilities"],
    [{ peer: "", capabilities: [] }, 400, "peer"],
    [{ capabilities: [] }, 400, "peer"],
    [{ peer: "not-a-member", capabilities: [] }, 404, "member"],
  ])("refuses %j with %i", async (body, status, words) => {
    const response = await setGrant(member, body);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { message: string }).message).toContain(words);
  });

  it("refuses grants for yourself", async () => {
    const response = await setGrant(member, { peer: member.id, capabilities: [] });
    expect(response.status).toBe(400);
  });

  it("the broker's path answers a plain GET with a 400 saying to use a WebSocket", async () => {
    const response = await testApp.get(`/api/my/meshes/${mesh}/broker`, member);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: "invalid_input",
      message: expect.stringContaining("WebSocket"),
    });
  });
});
