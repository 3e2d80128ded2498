import { randomUUID } from "node:crypto";
import {
  AcceptedInvite,
  CreatedInvite,
  InvitePreview,
  isMeshIdShaped,
  Mesh,
  MeshList,
  SlugTakenBody,
} from "@claudemesh/sdk/contracts";
import { type SmtpInbox, startSmtpInbox } from "@claudemesh/test-support/smtp-inbox";
import { eq } from "drizzle-orm";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, emailOutbox, meshMember, mesh as meshTable, telemetryEvent } from "../src/db/schema.js";
import { createMailer } from "../src/email/mailer.js";
import { verifyAddress } from "./support/outbox.js";
import { createTestApp, signUp, type TestAccount, type TestApp } from "./support/test-app.js";
import { DATABASE_KINDS } from "./support/test-database.js";

describe.each(DATABASE_KINDS)("meshes and invites on %s", (kind) => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp(kind);
  });
  afterAll(() => testApp.close());

  async function createMesh(account: TestAccount, body: Record<string, unknown>) {
    const response = await testApp.postJson("/api/my/meshes", body, { cookie: account.cookie });
    return { status: response.status, body: (await response.json()) as unknown };
  }

  async function invite(account: TestAccount, mesh: string, body: Record<string, unknown> = {}) {
    const response = await testApp.postJson(`/api/my/meshes/${mesh}/invites`, body, { cookie: account.cookie });
    if (response.status !== 201) throw new Error(`invite: ${response.status} ${await response.text()}`);
    const created = CreatedInvite.parse(await response.json());
    return { ...created, secret: created.url.split("/invite/")[1] ?? "" };
  }

  const accept = (account: TestAccount, secret: string) =>
    testApp.postJson(`/api/invites/${secret}/accept`, {}, { cookie: account.cookie });

  it("creates a mesh with a slug from its name, owned by its creator", async () => {
    const owner = await signUp(testApp);
    const created = await createMesh(owner, { name: "Équipe Ñandú!" });
    expect(created.status).toBe(201);
    const mesh = Mesh.parse(created.body);
    expect(mesh).toMatchObject({ name: "Équipe Ñandú!", slug: "equipe-nandu", role: "owner", member_count: 1 });
    const list = MeshList.parse(await (await testApp.get("/api/my/meshes", { cookie: owner.cookie })).json());
    expect(list.meshes.map((m) => m.slug)).toEqual(["equipe-nandu"]);
    const audit = await testApp.database.db.select().from(auditLog).where(eq(auditLog.targetId, mesh.id));
    expect(audit.map((row) => row.action)).toEqual(["mesh.created"]);
  });

  it("refuses a taken slug with the next free one as a suggestion", async () => {
    const first = await signUp(testApp);
    const second = await signUp(testApp);
    expect((await createMesh(first, { name: "Platform team" })).status).toBe(201);
    const taken = await createMesh(second, { name: "Platform team" });
    expect(taken.status).toBe(409);
    expect(SlugTakenBody.parse(taken.body).suggestion).toBe("platform-team-2");
    expect((await createMesh(second, { name: "Platform team", slug: "platform-team-2" })).status).toBe(201);
    const again = await createMesh(second, { name: "Other", slug: "platform-team" });
    expect(SlugTakenBody.parse(again.body).suggestion).toBe("platform-team-3");
    const list = MeshList.parse(await (await testApp.get("/api/my/meshes", { cookie: second.cookie })).json());
    expect(list.meshes.map((m) => m.slug)).toEqual(["platform-team-2"]);
  });

  it.each([
    [{}, "name"],
    [{ name: "  " }, "name"],
    [{ name: "x".repeat(101) }, "name"],
    [{ name: "ok", slug: "Not A Slug" }, "slug"],
    [{ name: "ok", slug: "-dash" }, "slug"],
    [{ name: 5 }, "name"],
  ])("refuses %j with a 400 naming %s", async (body, field) => {
    const owner = await signUp(testApp);
    const created = await createMesh(owner, body);
    expect(created.status).toBe(400);
    expect(created.body).toMatchObject({ error: "invalid_input", message: expect.stringContaining(field) });
  });

  it("invites by link: another user previews and joins; the link then works for no one else", async () => {
    const owner = await signUp(testApp);
    const guest = await signUp(testApp);
    const latecomer = await signUp(testApp);
    const mesh = Mesh.parse((await createMesh(owner, { name: "Invite flow" })).body);
    const created = await invite(owner, mesh.slug);
    expect(created).toMatchObject({ role: "member", email: null, email_status: "none" });
    expect(created.url).toMatch(/^http:\/\/localhost:3000\/invite\/[A-Za-z0-9_-]{43}$/);

    const preview = await testApp.get(`/api/invites/${created.secret}`, { cookie: guest.cookie });
    expect(InvitePreview.parse(await preview.json())).toMatchObject({
      mesh: { slug: mesh.slug },
      role: "member",
      invited_by: owner.name,
    });
    const joined = AcceptedInvite.parse(await (await accept(guest, created.secret)).json());
    expect(joined).toMatchObject({ already_member: false, mesh: { slug: mesh.slug, role: "member", member_count: 2 } });

    const again = AcceptedInvite.parse(await (await accept(guest, created.secret)).json());
    expect(again.already_member).toBe(true);
    const reused = await accept(latecomer, created.secret);
    expect(reused.status).toBe(410);
    expect(await reused.json()).toMatchObject({ error: "invite_used" });
    const actions = (await testApp.database.db.select().from(auditLog).where(eq(auditLog.targetId, created.id))).map(
      (row) => row.action,
    );
    expect(actions.sort()).toEqual(["mesh.invite.accepted", "mesh.invite.created"]);
  });

  it("lets exactly one of two people racing for one invite in", async () => {
    const owner = await signUp(testApp);
    const racers = await Promise.all([signUp(testApp), signUp(testApp)]);
    const mesh = Mesh.parse((await createMesh(owner, { name: "Race" })).body);
    const created = await invite(owner, mesh.id);
    const statuses = (await Promise.all(racers.map((racer) => accept(racer, created.secret)))).map((r) => r.status);
    expect(statuses.sort()).toEqual([200, 410]);
  });

  it("expires invites", async () => {
    const owner = await signUp(testApp);
    const guest = await signUp(testApp);
    const mesh = Mesh.parse((await createMesh(owner, { name: "Short lived" })).body);
    const created = await invite(owner, mesh.slug, { expires_in: 60 });
    testApp.clock.advance(60_000);
    const late = await accept(guest, created.secret);
    expect(late.status).toBe(410);
    expect(await late.json()).toMatchObject({ error: "invite_expired" });
  });

  it("lets owners and admins invite, not members or outsiders", async () => {
    const owner = await signUp(testApp);
    const admin = await signUp(testApp);
    const member = await signUp(testApp);
    const outsider = await signUp(testApp);
    const mesh = Mesh.parse((await createMesh(owner, { name: "Roles" })).body);
    await accept(admin, (await invite(owner, mesh.slug, { role: "admin" })).secret);
    await accept(member, (await invite(owner, mesh.slug)).secret);
    expect((await invite(admin, mesh.slug)).role).toBe("member");
    const byMember = await testApp.postJson(`/api/my/meshes/${mesh.slug}/invites`, {}, { cookie: member.cookie });
    expect(byMember.status).toBe(403);
    const byOutsider = await testApp.postJson(`/api/my/meshes/${mesh.slug}/invites`, {}, { cookie: outsider.cookie });
    expect(byOutsider.status).toBe(404);
    const asOwner = await testApp.postJson(
      `/api/my/meshes/${mesh.slug}/invites`,
      { role: "owner" },
      {
        cookie: owner.cookie,
      },
    );
    expect(asOwner.status).toBe(400);
  });

  it("refuses id-shaped slugs, and names a mesh by id or by slug, never one for the other", async () => {
    const alice = await signUp(testApp);
    const mallory = await signUp(testApp);
    const alpha = Mesh.parse((await createMesh(alice, { name: "Alpha" })).body);
    const lookalike = await createMesh(mallory, { name: "Lookalike", slug: alpha.id });
    expect(lookalike.status).toBe(400);
    expect(lookalike.body).toMatchObject({ error: "invalid_input", message: expect.stringContaining("mesh id") });
    // A name that is an id gets a slug that is not one, and so does the suggestion when it is taken.
    const named = Mesh.parse((await createMesh(mallory, { name: alpha.id })).body);
    expect(named.slug).toBe(`mesh-${alpha.id}`);
    const suggestion = SlugTakenBody.parse((await createMesh(alice, { name: alpha.id })).body).suggestion;
    expect(suggestion).toBe(`mesh-${alpha.id}-2`);
    expect(isMeshIdShaped(suggestion)).toBe(false);

    // A slug that is another mesh's id (made before this check, or by hand), with both people in it.
    const legacyId = randomUUID();
    const at = testApp.clock.now();
    await testApp.database.db
      .insert(meshTable)
      .values({ id: legacyId, name: "Legacy", slug: alpha.id, createdBy: mallory.id, createdAt: at });
    await testApp.database.db.insert(meshMember).values([
      { meshId: legacyId, userId: mallory.id, role: "owner", joinedAt: at },
      { meshId: legacyId, userId: alice.id, role: "admin", joinedAt: at },
    ]);
    expect((await invite(alice, alpha.id)).mesh.id).toBe(alpha.id);
    expect((await invite(alice, alpha.id.toUpperCase())).mesh.id).toBe(alpha.id);
    expect((await invite(alice, alpha.slug)).mesh.id).toBe(alpha.id);
    expect((await invite(mallory, named.slug)).mesh.id).toBe(named.id);
    const byMallory = await testApp.postJson(`/api/my/meshes/${alpha.id}/invites`, {}, { cookie: mallory.cookie });
    expect(byMallory.status).toBe(404);
  });

  it("takes the seed's a@b.c as an invite address, and answers 400 for what is not one", async () => {
    const owner = await signUp(testApp);
    const mesh = Mesh.parse((await createMesh(owner, { name: "Seed line" })).body);
    expect((await invite(owner, mesh.slug, { email: "a@b.c" })).email).toBe("a@b.c");
    const refused = await testApp.postJson(
      `/api/my/meshes/${mesh.slug}/invites`,
      { email: "nobody" },
      {
        cookie: owner.cookie,
      },
    );
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      error: "invalid_input",
      message: expect.stringContaining("not an email address"),
    });
  });

  it("queues an emailed invite without SMTP, and only that account, once verified, may accept it", async () => {
    const owner = await signUp(testApp);
    const stranger = await signUp(testApp);
    const invitee = await signUp(testApp);
    const mesh = Mesh.parse((await createMesh(owner, { name: "Mailed" })).body);
    const created = await invite(owner, mesh.slug, { email: invitee.email.toUpperCase() });
    expect(created.email_status).toBe("queued");
    const [queued] = await testApp.database.db
      .select()
      .from(emailOutbox)
      .where(eq(emailOutbox.to, invitee.email.toUpperCase()));
    expect(queued?.body).toContain(created.url);
    expect(queued?.sentAt).toBeNull();

    const wrong = await accept(stranger, created.secret);
    expect(wrong.status).toBe(403);
    expect((await wrong.json()) as { message: string }).toMatchObject({ message: expect.stringContaining("…@") });
    const unverified = await accept(invitee, created.secret);
    expect(unverified.status).toBe(403);
    expect(await unverified.json()).toMatchObject({ error: "email_unverified" });
    await verifyAddress(testApp, invitee);
    expect((await accept(invitee, created.secret)).status).toBe(200);
  });

  it("answers unknown invites and malformed secrets with 404", async () => {
    const guest = await signUp(testApp);
    expect((await accept(guest, "A".repeat(43))).status).toBe(404);
    expect((await accept(guest, "short")).status).toBe(404);
    expect((await testApp.get("/api/invites/A", { cookie: guest.cookie })).status).toBe(404);
  });

  it("needs a signed-in caller to look at or accept an invite", async () => {
    const response = await testApp.postJson(`/api/invites/${"A".repeat(43)}/accept`, {});
    expect(response.status).toBe(401);
  });
});

describe("invite emails over real SMTP", () => {
  let inbox: SmtpInbox;
  beforeAll(async () => {
    inbox = await startSmtpInbox();
  });
  afterAll(() => inbox.close());

  it("sends the invite link and clears the body from the outbox once sent", async () => {
    const testApp = await createTestApp("pglite");
    try {
      const transport = nodemailer.createTransport(inbox.url);
      const mailer = createMailer({ db: testApp.database.db, transport, from: "claudemesh <no-reply@test>" });
      const app = await createTestApp("pglite", { database: testApp.database, clock: testApp.clock, mailer });
      const owner = await signUp(app);
      const mesh = Mesh.parse(
        await (await app.postJson("/api/my/meshes", { name: "Smtp" }, { cookie: owner.cookie })).json(),
      );
      const response = await app.postJson(
        `/api/my/meshes/${mesh.id}/invites`,
        { email: "alice@example.test" },
        { cookie: owner.cookie },
      );
      const created = CreatedInvite.parse(await response.json());
      expect(created.email_status).toBe("sent");
      const mail = await inbox.next("alice@example.test");
      expect(mail.text).toContain(created.url);
      const [row] = await app.database.db.select().from(emailOutbox).where(eq(emailOutbox.to, "alice@example.test"));
      expect(row?.sentAt).not.toBeNull();
      expect(row?.body).toBe("");
    } finally {
      await testApp.close();
    }
  });

  it("reports a failed send without failing the invite", async () => {
    const testApp = await createTestApp("pglite");
    try {
      const transport = nodemailer.createTransport("smtp://127.0.0.1:1");
      const logged: string[] = [];
      const mailer = createMailer({
        db: testApp.database.db,
        transport,
        from: "x <x@test>",
        log: (line) => logged.push(line),
      });
      const app = await createTestApp("pglite", { database: testApp.database, clock: testApp.clock, mailer });
      const owner = await signUp(app);
      const mesh = Mesh.parse(
        await (await app.postJson("/api/my/meshes", { name: "Down" }, { cookie: owner.cookie })).json(),
      );
      const response = await app.postJson(
        `/api/my/meshes/${mesh.id}/invites`,
        { email: "bob@example.test" },
        {
          cookie: owner.cookie,
        },
      );
      expect(response.status).toBe(201);
      expect(CreatedInvite.parse(await response.json()).email_status).toBe("failed");
      expect(logged.join("\n")).toContain("…@example.test");
      expect(logged.join("\n")).not.toContain("bob@");
    } finally {
      await testApp.close();
    }
  });
});

describe("telemetry", () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp("pglite");
  });
  afterAll(() => testApp.close());

  it("stores a batch of known events", async () => {
    const at = new Date().toISOString();
    const response = await testApp.postJson("/api/telemetry", {
      install_id: "0f6d7c1e-2b1a-4c1d-9a51-1f0d7c2e3b4a",
      events: [
        { event: "cli.command.executed", at, properties: { command: "whoami", exit_code: 0, duration_ms: 120 } },
        { event: "cli.login.started", at, properties: {} },
      ],
    });
    expect(response.status).toBe(202);
    const rows = await testApp.database.db.select().from(telemetryEvent);
    expect(rows.map((row) => row.event).sort()).toEqual(["cli.command.executed", "cli.login.started"]);
  });

  it.each([
    [{ install_id: "x", events: [] }],
    [{ install_id: "0f6d7c1e-2b1a", events: [{ event: "cli.made.up", at: new Date().toISOString(), properties: {} }] }],
    [{ install_id: "0f6d7c1e-2b1a", events: [{ event: "cli.logout", at: "yesterday", properties: {} }] }],
    [
      {
        install_id: "0f6d7c1e-2b1a",
        events: [{ event: "cli.logout", at: new Date().toISOString(), properties: { o: {} } }],
      },
    ],
  ])("refuses %j", async (body) => {
    expect((await testApp.postJson("/api/telemetry", body)).status).toBe(400);
  });
});
