import { AcceptedInvite, CreatedInvite, hasUnsafeCharacters, Mesh } from "@claudemesh/sdk/contracts";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rateLimit, user } from "../src/db/schema.js";
import { EMAIL_NAME_MAX } from "../src/email/templates.js";
import { RATE_LIMITS } from "../src/limits/rate-limits.js";
import { outboxFor, verifyAddress } from "./support/outbox.js";
import { createTestApp, signUp, type TestAccount, type TestApp } from "./support/test-app.js";
import { DATABASE_KINDS } from "./support/test-database.js";

const DAY_MS = 24 * 60 * 60 * 1000;
// These tests make tens of accounts, meshes and invites: a guard against a hang, not a speed
// check. They take 5–25 s, and a loaded 2-core machine stretched one past the default 30 s.
const LOOP_TIMEOUT_MS = 120_000;

describe.each(DATABASE_KINDS)("invite limits and the invite email on %s", { timeout: LOOP_TIMEOUT_MS }, (kind) => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp(kind);
  });
  afterAll(() => testApp.close());

  let meshes = 0;
  async function meshOf(owner: TestAccount, name = `Limits ${++meshes}`) {
    const response = await testApp.postJson("/api/my/meshes", { name }, { cookie: owner.cookie });
    if (response.status !== 201) throw new Error(`create mesh: ${response.status} ${await response.text()}`);
    return Mesh.parse(await response.json());
  }

  const invite = (account: TestAccount, mesh: Mesh, body: Record<string, unknown> = {}) =>
    testApp.postJson(`/api/my/meshes/${mesh.id}/invites`, body, { cookie: account.cookie });

  /** `account` joins `mesh` as an admin, through a link invite from `owner`. */
  async function addAdmin(owner: TestAccount, mesh: Mesh, account: TestAccount) {
    const created = CreatedInvite.parse(await (await invite(owner, mesh, { role: "admin" })).json());
    const secret = created.url.split("/invite/")[1] ?? "";
    const accepted = await testApp.postJson(`/api/invites/${secret}/accept`, {}, { cookie: account.cookie });
    AcceptedInvite.parse(await accepted.json());
  }

  const address = (label: string) => `${label}.${Date.now()}.${Math.random().toString(36).slice(2)}@example.test`;

  it(`sends one address at most ${RATE_LIMITS.inviteEmailsPerMeshAndRecipient.limit} invite emails a day per mesh; another mesh's still go; a link invite still works`, async () => {
    const [first, second] = [await signUp(testApp), await signUp(testApp)];
    const [firstMesh, secondMesh] = [await meshOf(first), await meshOf(second)];
    const target = address("target");
    const limit = RATE_LIMITS.inviteEmailsPerMeshAndRecipient.limit;
    for (let sent = 0; sent < limit; sent += 1) {
      // The address in any case is one recipient.
      const response = await invite(first, firstMesh, { email: sent === 1 ? target.toUpperCase() : target });
      expect(response.status).toBe(201);
    }
    const refused = await invite(first, firstMesh, { email: target });
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({
      error: "rate_limited",
      message: expect.stringContaining("Create the invite without an email and send its link yourself"),
    });
    expect((await invite(first, firstMesh)).status).toBe(201);
    expect((await invite(second, secondMesh, { email: target })).status).toBe(201);

    testApp.clock.advance(RATE_LIMITS.inviteEmailsPerMeshAndRecipient.windowMs);
    expect((await invite(first, firstMesh, { email: target })).status).toBe(201);
  });

  it(`sends one address at most ${RATE_LIMITS.inviteEmailsPerRecipient.limit} invite emails a day over all meshes`, async () => {
    const target = address("overall");
    const perMesh = RATE_LIMITS.inviteEmailsPerMeshAndRecipient.limit;
    const overall = RATE_LIMITS.inviteEmailsPerRecipient.limit;
    let sent = 0;
    while (sent < overall) {
      const owner = await signUp(testApp);
      const mesh = await meshOf(owner);
      for (let i = 0; i < perMesh && sent < overall; i += 1, sent += 1) {
        expect((await invite(owner, mesh, { email: target })).status).toBe(201);
      }
    }
    const late = await signUp(testApp);
    expect((await invite(late, await meshOf(late), { email: target })).status).toBe(429);
  });

  it(`lets one person email ${RATE_LIMITS.inviteEmailsPerUser.limit} invites a day over all their meshes; refused ones are not counted as invites`, async () => {
    const owner = await signUp(testApp);
    const meshesOfOwner = [await meshOf(owner), await meshOf(owner)];
    const limit = RATE_LIMITS.inviteEmailsPerUser.limit;
    for (let sent = 0; sent < limit; sent += 1) {
      const response = await invite(owner, meshesOfOwner[sent % 2] as Mesh, { email: address(`many${sent}`) });
      expect(response.status).toBe(201);
    }
    const refused = await invite(owner, meshesOfOwner[0] as Mesh, { email: address("one-more") });
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { message: string }).message).toContain("Too many invite emails from you");
    expect((await invite(owner, meshesOfOwner[0] as Mesh)).status).toBe(201);

    const counted = await testApp.database.db
      .select()
      .from(rateLimit)
      .where(eq(rateLimit.key, `invite:user:${owner.id}`));
    expect(counted.map((row) => row.count)).toEqual([limit + 1]);
  });

  it(`lets a mesh's admins together email ${RATE_LIMITS.inviteEmailsPerMesh.limit} invites a day`, async () => {
    const owner = await signUp(testApp);
    const mesh = await meshOf(owner);
    const perUser = RATE_LIMITS.inviteEmailsPerUser.limit;
    const admins = [owner];
    while (admins.length * perUser < RATE_LIMITS.inviteEmailsPerMesh.limit + 1) {
      const admin = await signUp(testApp);
      await addAdmin(owner, mesh, admin);
      admins.push(admin);
    }
    const statuses: number[] = [];
    for (let sent = 0; sent <= RATE_LIMITS.inviteEmailsPerMesh.limit; sent += 1) {
      const who = admins[Math.floor(sent / perUser)] as TestAccount;
      statuses.push((await invite(who, mesh, { email: address(`mesh${sent}`) })).status);
    }
    expect(statuses.filter((status) => status === 201)).toHaveLength(RATE_LIMITS.inviteEmailsPerMesh.limit);
    expect(statuses.at(-1)).toBe(429);
  });

  it(`lets one person make ${RATE_LIMITS.invitesPerUser.limit} invites a day over all their meshes, and a mesh's admins ${RATE_LIMITS.invitesPerMesh.limit}`, async () => {
    const [owner, first, second] = [await signUp(testApp), await signUp(testApp), await signUp(testApp)];
    const mesh = await meshOf(owner);
    const ownersOther = await meshOf(owner);
    await addAdmin(owner, mesh, first);
    await addAdmin(owner, mesh, second);
    const makeInvites = async (who: TestAccount, count: number) => {
      for (let n = 0; n < count; n += 1) expect((await invite(who, mesh)).status).toBe(201);
    };
    // The two admin invites above count, for the owner and for the mesh.
    await makeInvites(owner, RATE_LIMITS.invitesPerUser.limit - 2);
    const ownerRefused = await invite(owner, mesh);
    expect(ownerRefused.status).toBe(429);
    expect(((await ownerRefused.json()) as { message: string }).message).toContain("Too many invites from you");
    expect((await invite(owner, ownersOther)).status).toBe(429);

    await makeInvites(first, RATE_LIMITS.invitesPerMesh.limit - RATE_LIMITS.invitesPerUser.limit);
    expect((await invite(second, mesh)).status).toBe(429);
    expect((await invite(second, await meshOf(second))).status).toBe(201);

    testApp.clock.advance(DAY_MS);
    expect((await invite(owner, mesh)).status).toBe(201);
  });

  describe("the invite email", () => {
    it("has a fixed subject and names inviter and mesh only as capped, neutral text", async () => {
      const owner = await signUp(testApp, { name: "Payroll: your bonus is waiting, confirm at evil.example today" });
      const mesh = await meshOf(owner, `Urgent ${"security ".repeat(8)}notice`);
      // Rows from before names were checked may hold control and bidi characters.
      await testApp.database.db
        .update(user)
        .set({ name: "Ada\r\nSubject: hi\u202egnp.exe\u001b]0;x\u0007" })
        .where(eq(user.id, owner.id));
      const to = address("fixed");
      expect((await invite(owner, mesh, { email: to, role: "admin" })).status).toBe(201);

      const [email] = await outboxFor(testApp, to);
      expect(email?.subject).toBe("You're invited to a claudemesh mesh");
      const lines = email?.body.split("\n") ?? [];
      expect(lines).toContain("  Invited by: Ada Subject: hignp.exe]0;x");
      expect(lines).toContain(`  Mesh: ${`Urgent ${"security ".repeat(8)}`.slice(0, EMAIL_NAME_MAX - 1).trimEnd()}…`);
      expect(lines).toContain("  Role: Admin");
      expect(hasUnsafeCharacters(lines.join(""))).toBe(false);
    });

    it("is in the inviter's language when the address has no account to know the recipient's by", async () => {
      const owner = await signUp(testApp);
      const mesh = await meshOf(owner);
      const to = address("english");
      const response = await testApp.postJson(
        `/api/my/meshes/${mesh.id}/invites`,
        { email: to },
        { cookie: owner.cookie, headers: { "accept-language": "es" } },
      );
      expect(response.status).toBe(201);
      expect((await outboxFor(testApp, to))[0]?.subject).toBe("Te han invitado a una malla de claudemesh");
    });

    it("leads to a mesh its verified recipient can join", async () => {
      const owner = await signUp(testApp);
      const invitee = await signUp(testApp);
      await verifyAddress(testApp, invitee);
      const mesh = await meshOf(owner);
      expect((await invite(owner, mesh, { email: invitee.email })).status).toBe(201);
      const [email] = (await outboxFor(testApp, invitee.email)).filter((row) => row.subject.includes("invited"));
      const secret = /\/invite\/([A-Za-z0-9_-]{43})/.exec(email?.body ?? "")?.[1] ?? "";
      const accepted = await testApp.postJson(`/api/invites/${secret}/accept`, {}, { cookie: invitee.cookie });
      expect(accepted.status).toBe(200);
    });
  });
});
