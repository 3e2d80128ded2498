import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { brokerConnection, brokerInstance, cliToken } from "../src/db/schema.js";
import { MESHES_PATH } from "../src/pages/meshes-page.js";
import { pageText as text } from "./support/page-text.js";
import { createTestApp, sessionCookie, signUp, type TestAccount, type TestApp } from "./support/test-app.js";
import { DATABASE_KINDS } from "./support/test-database.js";

describe.each(DATABASE_KINDS)("meshes on the web on %s", (kind) => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp(kind);
  });
  afterAll(() => testApp.close());

  async function meshOf(owner: TestAccount, name: string) {
    const response = await testApp.postJson("/api/my/meshes", { name }, { cookie: owner.cookie });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string; slug: string };
  }
  /** Makes a link on the mesh page, as its form does, and reads it off the page it redirects to. */
  async function linkFrom(owner: TestAccount, slug: string) {
    const posted = await testApp.postForm(
      `${MESHES_PATH}/${slug}/invites`,
      { role: "member", expiry: "7" },
      { cookie: owner.cookie },
    );
    expect(posted.status).toBe(303);
    const page = await testApp.get(posted.headers.get("location") ?? "", {
      cookie: `${owner.cookie}; ${sessionCookie(posted)}`,
    });
    return (await page.text()).match(/value="(http[^"]+\/invite\/[A-Za-z0-9_-]+)"/)?.[1] ?? "";
  }
  const pendingIds = async (owner: TestAccount, slug: string) =>
    [
      ...(await (await testApp.get(`${MESHES_PATH}/${slug}`, { cookie: owner.cookie })).text()).matchAll(
        /invites\/([^/"]+)\/revoke/g,
      ),
    ].map((match) => match[1] ?? "");

  it("lists the viewer's meshes with role, members and pending invites", async () => {
    const owner = await signUp(testApp);
    const mesh = await meshOf(owner, "Listed Mesh");
    await linkFrom(owner, mesh.slug);
    const page = text(await (await testApp.get(MESHES_PATH, { cookie: owner.cookie })).text());
    expect(page).toContain("Listed Mesh listed-mesh Owner 1 1");
  });

  it("a withdrawn invite no longer works, by API or page, and the withdrawal is audited", async () => {
    const owner = await signUp(testApp);
    const mesh = await meshOf(owner, "Withdrawn Mesh");
    const link = await linkFrom(owner, mesh.slug);
    const [id = ""] = await pendingIds(owner, mesh.slug);
    const revoked = await testApp.postForm(
      `${MESHES_PATH}/${mesh.slug}/invites/${id}/revoke`,
      {},
      { cookie: owner.cookie },
    );
    expect(revoked.headers.get("location")).toBe(`${MESHES_PATH}/${mesh.slug}?done=invite-revoked`);
    expect(await pendingIds(owner, mesh.slug)).toEqual([]);

    const guest = await signUp(testApp);
    const secret = link.split("/").pop() ?? "";
    const accept = await testApp.postJson(`/api/invites/${secret}/accept`, {}, { cookie: guest.cookie });
    expect(accept.status).toBe(410);
    expect(await accept.json()).toMatchObject({ error: "invite_revoked" });
    const page = await testApp.get(`/invite/${secret}`, { cookie: guest.cookie });
    expect(page.status).toBe(410);
    expect(text(await page.text())).toContain("This invite was withdrawn");
  });

  it("another account sees no such mesh, and a member can neither see nor withdraw its invites", async () => {
    const owner = await signUp(testApp);
    const mesh = await meshOf(owner, "Guarded Mesh");
    const link = await linkFrom(owner, mesh.slug);
    const [first = ""] = await pendingIds(owner, mesh.slug);
    const revoke = (who: TestAccount, id: string) =>
      testApp.postForm(`${MESHES_PATH}/${mesh.slug}/invites/${id}/revoke`, {}, { cookie: who.cookie });

    const stranger = await signUp(testApp);
    expect((await testApp.get(`${MESHES_PATH}/${mesh.slug}`, { cookie: stranger.cookie })).status).toBe(404);
    expect((await revoke(stranger, first)).status).toBe(404);
    const strangerLink = await testApp.postForm(
      `${MESHES_PATH}/${mesh.slug}/invites`,
      { role: "member", expiry: "7" },
      { cookie: stranger.cookie },
    );
    expect(strangerLink.status).toBe(404);

    const member = await signUp(testApp);
    const secret = link.split("/").pop() ?? "";
    expect((await testApp.postJson(`/api/invites/${secret}/accept`, {}, { cookie: member.cookie })).status).toBe(200);
    await linkFrom(owner, mesh.slug);
    const pending = await pendingIds(owner, mesh.slug);
    expect(pending).toHaveLength(1);
    const asMember = text(await (await testApp.get(`${MESHES_PATH}/${mesh.slug}`, { cookie: member.cookie })).text());
    expect(asMember).toContain("Only the mesh's owners and admins can invite people");
    expect(asMember).not.toContain("Withdraw");
    expect((await revoke(member, pending[0] ?? "")).status).toBe(404);
    expect(await pendingIds(owner, mesh.slug)).toEqual(pending);
  });

  it("refuses a link form posted from another site", async () => {
    const owner = await signUp(testApp);
    const mesh = await meshOf(owner, "Cross Mesh");
    const response = await testApp.postForm(
      `${MESHES_PATH}/${mesh.slug}/invites`,
      { role: "admin", expiry: "30" },
      { cookie: owner.cookie, headers: { origin: "https://evil.example" } },
    );
    expect(response.status).toBe(403);
    expect(await pendingIds(owner, mesh.slug)).toEqual([]);
  });

  describe("members with presence and the viewer's grants", () => {
    /** A mesh of a new owner that a new member joined through a link from the page. */
    async function meshOfTwo(name: string) {
      const owner = await signUp(testApp);
      const member = await signUp(testApp);
      const mesh = await meshOf(owner, name);
      const secret = (await linkFrom(owner, mesh.slug)).split("/").pop() ?? "";
      expect((await testApp.postJson(`/api/invites/${secret}/accept`, {}, { cookie: member.cookie })).status).toBe(200);
      return { owner, member, mesh };
    }
    const pageOf = async (who: TestAccount, slug: string) =>
      text(await (await testApp.get(`${MESHES_PATH}/${slug}`, { cookie: who.cookie })).text());
    const grantsOf = async (who: TestAccount, slug: string) =>
      (await (await testApp.get(`/api/my/meshes/${slug}/grants`, { cookie: who.cookie })).json()) as unknown;
    const post = (who: TestAccount, slug: string, path: string, headers: Record<string, string> = {}) =>
      testApp.postForm(`${MESHES_PATH}/${slug}/${path}`, {}, { cookie: who.cookie, headers });

    /** Records a visible broker connection of `who`, as an instance of the broker does when a peer says hello. */
    async function connectAsPeer(who: TestAccount, meshId: string) {
      const { db } = testApp.database;
      const now = testApp.clock.now();
      const tokenId = randomUUID();
      await db
        .insert(cliToken)
        .values({ id: tokenId, userId: who.id, kind: "pat", name: "peer", tokenHash: randomUUID() });
      const instanceId = randomUUID();
      await db.insert(brokerInstance).values({ id: instanceId, startedAt: now, heartbeatAt: now });
      await db.insert(brokerConnection).values({
        id: randomUUID(),
        instanceId,
        meshId,
        memberId: who.id,
        tokenId,
        sessionId: `session-${randomUUID().slice(0, 8)}`,
        displayName: "laptop",
        kind: "cli",
        visible: true,
        connectedAt: now,
      });
    }

    it("shows who is online as the peers route does, and what the viewer allows each other member", async () => {
      const { owner, member, mesh } = await meshOfTwo("Presence Mesh");
      const before = await pageOf(member, mesh.slug);
      expect(before).toMatch(/Owner .* Never connected Everything Block /);
      expect(before).toMatch(/Member .* Never connected You/);

      await connectAsPeer(owner, mesh.id);
      const after = await pageOf(member, mesh.slug);
      expect(after).toMatch(/Owner .* Online now Everything Block /);
      expect(after).toMatch(/Member .* Never connected You/);

      // A narrowed grant reads as what it leaves.
      await testApp.postJson(`/api/my/meshes/${mesh.slug}/grants`, { peer: owner.id, capabilities: ["dm"] }, member);
      expect(await pageOf(member, mesh.slug)).toMatch(/Online now Direct messages only Block /);
      // The owner's page shows the owner's own grants, which are untouched.
      expect(await pageOf(owner, mesh.slug)).toMatch(/Member .* Never connected Everything Block /);
    });

    it("Block and Unblock set the viewer's own grant for that member, and say so", async () => {
      const { owner, member, mesh } = await meshOfTwo("Block Mesh");
      const blocked = await post(member, mesh.slug, `members/${owner.id}/block`);
      expect(blocked.status).toBe(303);
      expect(blocked.headers.get("location")).toBe(`${MESHES_PATH}/${mesh.slug}?done=blocked`);
      expect(await grantsOf(member, mesh.slug)).toEqual({ peers: { [owner.id]: [] } });
      expect(await grantsOf(owner, mesh.slug)).toEqual({ peers: {} });
      const shown = text(
        await (await testApp.get(`${MESHES_PATH}/${mesh.slug}?done=blocked`, { cookie: member.cookie })).text(),
      );
      expect(shown).toContain("Blocked: their messages to you are now dropped.");
      expect(shown).toMatch(/Owner .* Blocked Unblock /);

      const unblocked = await post(member, mesh.slug, `members/${owner.id}/unblock`);
      expect(unblocked.headers.get("location")).toBe(`${MESHES_PATH}/${mesh.slug}?done=unblocked`);
      expect(await grantsOf(member, mesh.slug)).toEqual({ peers: {} });
      expect(await pageOf(member, mesh.slug)).toMatch(/Owner .* Everything Block /);
    });

    it("refuses a block from another site, of oneself, of a stranger, and by someone outside the mesh", async () => {
      const { owner, member, mesh } = await meshOfTwo("Refusing Mesh");
      const cross = await post(member, mesh.slug, `members/${owner.id}/block`, { origin: "https://evil.example" });
      expect(cross.status).toBe(403);
      expect((await post(member, mesh.slug, `members/${member.id}/block`)).status).toBe(400);
      const stranger = await signUp(testApp);
      expect((await post(member, mesh.slug, `members/${stranger.id}/block`)).status).toBe(404);
      expect((await post(stranger, mesh.slug, `members/${owner.id}/block`)).status).toBe(404);
      expect(await grantsOf(member, mesh.slug)).toEqual({ peers: {} });
    });

    it("in Spanish", async () => {
      const { owner, member, mesh } = await meshOfTwo("Malla Presente");
      await post(member, mesh.slug, `members/${owner.id}/block`);
      const page = text(
        await (
          await testApp.get(`${MESHES_PATH}/${mesh.slug}`, {
            cookie: member.cookie,
            headers: { "accept-language": "es" },
          })
        ).text(),
      );
      expect(page).toMatch(/Propietario .* Nunca se ha conectado Bloqueado Desbloquear /);
      expect(page).toContain("Tú");
    });
  });
});
