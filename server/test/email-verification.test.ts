import { CreatedInvite, Mesh } from "@claudemesh/sdk/contracts";
import { eq } from "drizzle-orm";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { user } from "../src/db/schema.js";
import { createMailer } from "../src/email/mailer.js";
import { RATE_LIMITS } from "../src/limits/rate-limits.js";
import { outboxFor, verificationLinkFor, verifyAddress } from "./support/outbox.js";
import { pageText as text } from "./support/page-text.js";
import { createTestApp, signUp, type TestAccount, type TestApp } from "./support/test-app.js";
import { DATABASE_KINDS } from "./support/test-database.js";

const PER_HOUR = RATE_LIMITS.verificationEmailsPerAccount;

describe.each(DATABASE_KINDS)("email verification on %s", (kind) => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp(kind);
  });
  afterAll(() => testApp.close());

  const isVerified = async (account: TestAccount) => {
    const [row] = await testApp.database.db.select().from(user).where(eq(user.id, account.id));
    return row?.emailVerified;
  };

  /** An owner's mesh called `name` and an invite to `email`; returns the invite page's path. */
  async function emailedInvite(name: string, email: string) {
    const owner = await signUp(testApp);
    const mesh = Mesh.parse(
      await (await testApp.postJson("/api/my/meshes", { name }, { cookie: owner.cookie })).json(),
    );
    const response = await testApp.postJson(`/api/my/meshes/${mesh.slug}/invites`, { email }, { cookie: owner.cookie });
    const created = CreatedInvite.parse(await response.json());
    return new URL(created.url).pathname;
  }

  it("mails a link on sign-up; opening it verifies the address (signing nobody in) and lands on a page that says so", async () => {
    const account = await signUp(testApp);
    expect(await isVerified(account)).toBe(false);
    const [email] = await outboxFor(testApp, account.email);
    expect(email?.subject).toBe("Confirm your email address for claudemesh");
    expect(email?.body).not.toContain(account.name);

    const link = new URL(await verificationLinkFor(testApp, account.email));
    expect(link.origin).toBe("http://localhost:3000");
    const opened = await testApp.get(link.pathname + link.search); // another browser: no session yet
    expect(opened.status).toBe(302);
    expect(opened.headers.get("location")).toBe("/email-verification");
    expect(await isVerified(account)).toBe(true);
    // The link is no sign-in: one sitting in the outbox would make a copy of the database one.
    expect(opened.headers.getSetCookie().filter((cookie) => cookie.includes("session_token="))).toEqual([]);

    const page = await testApp.get("/email-verification", { cookie: account.cookie });
    expect(page.status).toBe(200);
    expect(text(await page.text())).toContain(`Your email address is verified ${account.email} is confirmed.`);
  });

  it.each([
    ["the JSON sign-up", (headers: Record<string, string>) => signUp(testApp, {}, headers)],
    [
      "the register form",
      async (headers: Record<string, string>) => {
        const email = `form.${Date.now()}.${Math.random().toString(36).slice(2)}@example.test`;
        const response = await testApp.postForm(
          "/register",
          { name: "Formulario", email, password: "correct horse battery" },
          { headers },
        );
        expect(response.status).toBe(303);
        return { email };
      },
    ],
  ])("writes the email in the language of %s", async (_, register) => {
    const spanish = await register({ "accept-language": "es-MX,es;q=0.9" });
    expect((await outboxFor(testApp, spanish.email))[0]?.subject).toBe(
      "Confirma tu correo electrónico para claudemesh",
    );
    const switched = await register({ "accept-language": "es", cookie: "claudemesh_lang=en" });
    expect((await outboxFor(testApp, switched.email))[0]?.subject).toBe("Confirm your email address for claudemesh");
  });

  it("lets an unverified account sign in with its password", async () => {
    const account = await signUp(testApp);
    const signedIn = await testApp.postJson("/api/auth/sign-in/email", {
      email: account.email,
      password: account.password,
    });
    expect(signedIn.status).toBe(200);
  });

  it("shows a link that does not work as such, with a button for a new one", async () => {
    const account = await signUp(testApp);
    const opened = await testApp.get("/api/auth/verify-email?token=not-a-token&callbackURL=%2Femail-verification", {
      cookie: account.cookie,
    });
    expect(opened.headers.get("location")).toBe("/email-verification?error=INVALID_TOKEN");
    const page = text(
      await (await testApp.get("/email-verification?error=INVALID_TOKEN", { cookie: account.cookie })).text(),
    );
    expect(page).toContain("This verification link does not work");
    expect(page).toContain("Send a new verification email");
    expect(await isVerified(account)).toBe(false);
  });

  it(`resends from the page, ${PER_HOUR.limit} emails an hour with the sign-up's, then says to wait`, async () => {
    const account = await signUp(testApp);
    for (let sent = 1; sent < PER_HOUR.limit; sent += 1) {
      const resent = await testApp.postForm("/email-verification/resend", { next: "/" }, { cookie: account.cookie });
      expect(resent.status).toBe(200);
      expect(text(await resent.text())).toContain("Verification email sent");
    }
    const refused = await testApp.postForm("/email-verification/resend", { next: "/" }, { cookie: account.cookie });
    expect(refused.status).toBe(429);
    expect(text(await refused.text())).toContain("wait an hour and ask again");
    expect(await outboxFor(testApp, account.email)).toHaveLength(PER_HOUR.limit);

    testApp.clock.advance(PER_HOUR.windowMs);
    const later = await testApp.postForm("/email-verification/resend", { next: "/" }, { cookie: account.cookie });
    expect(later.status).toBe(200);
  });

  it("resends through Better Auth's JSON route under the same limit, only for the signed-in account", async () => {
    const account = await signUp(testApp);
    const resend = (cookie?: string) =>
      testApp.postJson("/api/auth/send-verification-email", { email: account.email }, cookie ? { cookie } : {});

    const anonymous = await resend();
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: "auth_required" });
    for (let sent = 1; sent < PER_HOUR.limit; sent += 1) expect((await resend(account.cookie)).status).toBe(200);
    const refused = await resend(account.cookie);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({
      error: "rate_limited",
      message: expect.stringContaining("Wait an hour"),
    });
    expect(await outboxFor(testApp, account.email)).toHaveLength(PER_HOUR.limit);
  });

  it("sends a verified account asking again to the verified page", async () => {
    const account = await signUp(testApp);
    await verifyAddress(testApp, account);
    const resent = await testApp.postForm("/email-verification/resend", { next: "/" }, { cookie: account.cookie });
    expect(resent.status).toBe(303);
    expect(resent.headers.get("location")).toBe("/email-verification?next=%2F");
    expect(await outboxFor(testApp, account.email)).toHaveLength(1);
  });

  describe("an invite sent to an address", () => {
    it("is refused to the unverified account with that address, page and API alike, with a way to resend", async () => {
      const invitee = await signUp(testApp);
      const path = await emailedInvite("Refused mesh", invitee.email);
      const secret = path.split("/").pop() ?? "";

      const shown = await testApp.get(path, { cookie: invitee.cookie });
      const html = await shown.text();
      expect(text(html)).toContain("Confirm your email address first");
      expect(text(html)).toContain(`This invite is for ${invitee.email}`);
      expect(html).toContain('action="/email-verification/resend"');
      expect(html).toContain(`name="next" value="${path}"`);
      expect(html).not.toContain("Join mesh");

      const posted = await testApp.postForm(path, {}, { cookie: invitee.cookie });
      expect(posted.status).toBe(403);
      expect(text(await posted.text())).toContain("Confirm your email address first");
      const api = await testApp.postJson(`/api/invites/${secret}/accept`, {}, { cookie: invitee.cookie });
      expect(api.status).toBe(403);
      expect(await api.json()).toMatchObject({
        error: "email_unverified",
        message: expect.stringContaining("open the invite link in a browser"),
      });
    });

    it("is accepted once the address is verified, the link leading back to the invite", async () => {
      const invitee = await signUp(testApp);
      const path = await emailedInvite("Verified only", invitee.email);
      testApp.clock.advance(1000); // so the resent email is the newest in the outbox
      const resent = await testApp.postForm("/email-verification/resend", { next: path }, { cookie: invitee.cookie });
      expect(resent.status).toBe(200);

      const opened = await verifyAddress(testApp, invitee);
      const landing = opened.headers.get("location") ?? "";
      expect(landing).toBe(`/email-verification?next=${encodeURIComponent(path)}`);
      const verified = await (await testApp.get(landing, { cookie: invitee.cookie })).text();
      expect(verified).toContain(`href="${path}"`);

      expect(text(await (await testApp.get(path, { cookie: invitee.cookie })).text())).toContain("Join mesh");
      const joined = await testApp.postForm(path, {}, { cookie: invitee.cookie });
      expect(joined.status).toBe(200);
      expect(text(await joined.text())).toContain("You joined Verified only");
    });
  });
});

describe("email verification when the mail server is down", () => {
  it("still signs up, and a resend says it failed without spending the hour's allowance", async () => {
    const base = await createTestApp("pglite");
    try {
      const logged: string[] = [];
      const transport = nodemailer.createTransport("smtp://127.0.0.1:1");
      const mailer = createMailer({ db: base.database.db, transport, from: "x <x@test>", log: (l) => logged.push(l) });
      const testApp = await createTestApp("pglite", { database: base.database, clock: base.clock, mailer });
      const account = await signUp(testApp);
      expect(logged.join("\n")).toContain("could not send");
      for (let attempt = 0; attempt <= PER_HOUR.limit; attempt += 1) {
        const resent = await testApp.postForm("/email-verification/resend", { next: "/" }, { cookie: account.cookie });
        expect(resent.status).toBe(503);
        expect(text(await resent.text())).toContain("The email could not be sent");
      }
    } finally {
      await base.close();
    }
  });
});
