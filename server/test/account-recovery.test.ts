import { linkIn, type SmtpInbox, startSmtpInbox } from "@claudemesh/test-support/smtp-inbox";
import { and, eq } from "drizzle-orm";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, cliToken, user } from "../src/db/schema.js";
import { createMailer } from "../src/email/mailer.js";
import { deviceLogin } from "./support/device-login.js";
import { pageText as text } from "./support/page-text.js";
import {
  createTestApp,
  PUBLIC_URL,
  sessionCookie,
  signUp,
  type TestAccount,
  type TestApp,
} from "./support/test-app.js";

const SPANISH = { "accept-language": "es-ES,es;q=0.9" };
const DAY_MS = 24 * 60 * 60 * 1000;
const isReset = (email: { subject: string }) =>
  /password|contraseña/i.test(email.subject) && !/changed|cambiado/.test(email.subject);

// Every email here is read from a real SMTP server, as the person's mail program would.
describe("a way back in, and no foothold that outlives a password (mail over SMTP)", () => {
  let inbox: SmtpInbox;
  let testApp: TestApp;
  beforeAll(async () => {
    inbox = await startSmtpInbox();
    const plain = await createTestApp("pglite");
    const transport = nodemailer.createTransport(inbox.url);
    const mailer = createMailer({
      db: plain.database.db,
      transport,
      from: "claudemesh <t@test>",
      log: () => {},
      now: plain.clock.now,
    });
    testApp = await createTestApp("pglite", { database: plain.database, clock: plain.clock, mailer });
  });
  afterAll(async () => {
    await testApp?.close();
    await inbox?.close();
  });

  const signedIn = async (cookie: string) =>
    (await (await testApp.get("/api/auth/get-session", { cookie })).json()) !== null;
  const whoami = async (token: string) => (await testApp.get("/api/my/whoami", { token })).status;
  const createPat = async (account: TestAccount, name = "ci") => {
    const response = await testApp.postJson("/api/my/cli/tokens", { name }, { cookie: account.cookie });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string; token: string };
  };
  const backdate = (id: string, days: number) =>
    testApp.database.db
      .update(cliToken)
      .set({ createdAt: new Date(testApp.clock.now().getTime() - days * DAY_MS) })
      .where(eq(cliToken.id, id));
  const path = (link: string) => link.replace(PUBLIC_URL, "");
  const signIn = (email: string, password: string) => testApp.postJson("/api/auth/sign-in/email", { email, password });

  /** Asks for a reset on the page and sets `password` through the emailed link; the answer of the last step. */
  async function resetThroughEmail(email: string, password: string, headers: Record<string, string> = {}) {
    const asked = await testApp.postForm("/forgot-password", { email }, { headers });
    expect(asked.status).toBe(200);
    const mail = await inbox.next(email, isReset);
    const link = linkIn(mail, `${PUBLIC_URL}/reset-password?token=`);
    const form = await testApp.get(path(link));
    expect(form.status).toBe(200);
    const token = new URL(link).searchParams.get("token") ?? "";
    return { mail, token, done: await testApp.postForm("/reset-password", { token, password }) };
  }

  it("the owner resets a forgotten password through the emailed link (in their language): everything signed in ends", async () => {
    const owner = await signUp(testApp, {}, SPANISH);
    // An owner who confirmed the address (as the emailed link does); an unverified one is the squatter case below.
    await testApp.database.db.update(user).set({ emailVerified: true }).where(eq(user.id, owner.id));
    const cliSession = await deviceLogin(testApp, owner);
    const recentPat = await createPat(owner);
    const oldPat = await createPat(owner, "old-ci");
    await backdate(oldPat.id, 31);

    const { mail, token, done } = await resetThroughEmail(owner.email, "a fresh new password");
    expect(mail.subject).toBe("Restablece tu contraseña de claudemesh");
    expect(mail.text).toContain("El enlace funciona una vez, durante una hora.");
    expect(done.status).toBe(200);
    expect(text(await done.text())).toContain("Your password was changed");

    expect((await signIn(owner.email, owner.password)).status).toBe(401);
    expect((await signIn(owner.email, "a fresh new password")).status).toBe(200);
    expect(await signedIn(owner.cookie)).toBe(false);
    expect(await whoami(cliSession)).toBe(401);
    expect(await whoami(recentPat.token)).toBe(401);
    expect(await whoami(oldPat.token)).toBe(200);
    // The link works once.
    const again = await testApp.postForm("/reset-password", { token, password: "yet another password" });
    expect(again.status).toBe(400);
    expect(text(await again.text())).toContain("This reset link does not work");
    // The new password is told to the account, with its own "this wasn't me" link.
    const notice = await inbox.next(
      owner.email,
      (email) => email.subject === "Tu contraseña de claudemesh ha cambiado",
    );
    expect(notice.text).toContain(`${PUBLIC_URL}/security-alert/`);
    const changes = await testApp.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.userId, owner.id), eq(auditLog.action, "auth.password.changed")));
    expect(changes.map((row) => row.metadata)).toEqual([
      { web_sessions_ended: 1, cli_sessions_ended: 1, pats_ended: 1 },
    ]);
  });

  it("asking for a reset answers alike for an address with no account, sends it nothing, and is limited per address", async () => {
    const nobody = `nobody.${Date.now()}@example.test`;
    const owner = await signUp(testApp);
    const pages = [];
    for (const email of [nobody, owner.email]) {
      const response = await testApp.postForm("/forgot-password", { email });
      expect(response.status).toBe(200);
      pages.push(text(await response.text()).replace(email, "<email>"));
    }
    expect(pages[0]).toBe(pages[1]);
    await inbox.next(owner.email, isReset);
    expect(inbox.received.filter((email) => email.to.includes(nobody))).toEqual([]);

    // Three an hour per recipient, counted before the address is looked up: the limit tells nothing either.
    for (const email of [nobody, owner.email]) {
      for (let attempt = 1; attempt < 3; attempt += 1) {
        expect((await testApp.postJson("/api/auth/request-password-reset", { email })).status).toBe(200);
      }
      const over = await testApp.postJson("/api/auth/request-password-reset", { email });
      expect(over.status).toBe(429);
      expect(await over.json()).toMatchObject({ error: "rate_limited" });
      expect((await testApp.postForm("/forgot-password", { email })).status).toBe(429);
    }
  });

  it("an address taken by a squatter who never verified it goes to its owner on reset: verified, the squatter's sessions and every token end", async () => {
    const squatter = await signUp(testApp, { name: "Squatter" });
    const squatterSession = await deviceLogin(testApp, squatter);
    const squatterPat = await createPat(squatter, "foothold");
    await backdate(squatterPat.id, 200);

    const { done } = await resetThroughEmail(squatter.email, "the owner's own password");
    expect(done.status).toBe(200);

    expect(await signedIn(squatter.cookie)).toBe(false);
    expect(await whoami(squatterSession)).toBe(401);
    expect(await whoami(squatterPat.token)).toBe(401);
    expect((await signIn(squatter.email, squatter.password)).status).toBe(401);
    const [row] = await testApp.database.db.select().from(user).where(eq(user.id, squatter.id));
    expect(row?.emailVerified).toBe(true);
    const audit = await testApp.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.userId, squatter.id), eq(auditLog.action, "auth.account.reclaimed")));
    expect(audit).toHaveLength(1);
  });

  it("sign-up with a taken address answers as for a new one, and the owner is told by email instead", async () => {
    const owner = await signUp(testApp);
    const fresh = `fresh.${Date.now()}@example.test`;
    const answers = [];
    for (const email of [owner.email, fresh]) {
      const response = await testApp.postJson("/api/auth/sign-up/email", {
        name: "Mallory",
        email,
        password: "mallory's password",
      });
      const body = (await response.json()) as { token: unknown; user: Record<string, unknown> };
      answers.push({
        status: response.status,
        cookies: response.headers.getSetCookie(),
        token: body.token,
        fields: Object.keys(body.user).sort(),
      });
    }
    expect(answers[0]).toEqual(answers[1]);
    const told = await inbox.next(owner.email, (email) => email.subject === "You already have a claudemesh account");
    expect(told.text).toContain(`${PUBLIC_URL}/login`);
    expect(told.text).toContain(`${PUBLIC_URL}/forgot-password`);
    await inbox.next(fresh, (email) => email.subject === "Confirm your email address for claudemesh");

    // The register page: the owner's address with another password lands on "check your email", signed in to nothing.
    const page = await testApp.postForm("/register", {
      name: "Mallory",
      email: owner.email,
      password: "mallory's password",
    });
    expect(page.status).toBe(200);
    expect(page.headers.getSetCookie()).toEqual([]);
    expect(text(await page.text())).toContain("Check your email");
  });

  it("each new CLI session, PAT and password change is emailed with device, address, time and a 'this wasn't me' link", async () => {
    const owner = await signUp(testApp);
    await deviceLogin(testApp, owner);
    const session = await inbox.next(
      owner.email,
      (email) => email.subject === "New claudemesh sign-in from a terminal",
    );
    expect(session.text).toContain("Device: Ada's laptop · linux/x64");
    expect(session.text).toContain("How: Device code");
    expect(session.text).toMatch(/Time: .* UTC/);
    expect(session.text).toContain("Address: ");
    linkIn(session, `${PUBLIC_URL}/security-alert/`);

    await createPat(owner);
    const pat = await inbox.next(owner.email, (email) => email.subject === "New claudemesh personal access token");
    expect(pat.text).toContain("How: Created on the web");

    const changed = await testApp.postJson(
      "/api/auth/change-password",
      { currentPassword: owner.password, newPassword: "changed password here" },
      { cookie: owner.cookie },
    );
    expect(changed.status).toBe(200);
    await inbox.next(owner.email, (email) => email.subject === "Your claudemesh password was changed");
  });

  it("'this wasn't me' asks on GET, and on POST, once, revokes that credential and ends every session and recent PAT", async () => {
    const owner = await signUp(testApp);
    const otherBrowser = sessionCookie(await signIn(owner.email, owner.password));
    const mine = await createPat(owner, "mine");
    await backdate(mine.id, 60);
    const phished = await deviceLogin(testApp, owner, {
      device_name: "attacker-box",
      device_os: "linux",
      device_arch: "x64",
    });
    const foothold = await createPat(owner, "foothold");
    const mail = await inbox.next(
      owner.email,
      (email) => email.subject === "New claudemesh sign-in from a terminal" && email.text.includes("attacker-box"),
    );
    const link = path(linkIn(mail, `${PUBLIC_URL}/security-alert/`));

    const asked = await testApp.get(link);
    expect(asked.status).toBe(200);
    expect(text(await asked.text())).toContain("Was this not you?");
    expect(await whoami(phished)).toBe(200);

    const crossSite = await testApp.postForm(link, {}, { headers: { origin: "https://evil.example" } });
    expect(crossSite.status).toBe(403);
    expect(await whoami(phished)).toBe(200);

    const confirmed = await testApp.postForm(link, {});
    expect(confirmed.status).toBe(200);
    const page = await confirmed.text();
    expect(text(page)).toContain("Access revoked");
    expect(page).toContain(`/forgot-password?email=${encodeURIComponent(owner.email)}`);
    expect(await whoami(phished)).toBe(401);
    expect(await whoami(foothold.token)).toBe(401);
    expect(await whoami(mine.token)).toBe(200);
    expect(await signedIn(owner.cookie)).toBe(false);
    expect(await signedIn(otherBrowser)).toBe(false);

    const twice = await testApp.postForm(link, {});
    expect(twice.status).toBe(404);
    expect(text(await twice.text())).toContain("This link does not work");
  });
});
