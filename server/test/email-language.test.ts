import { CreatedInvite, Mesh } from "@claudemesh/sdk/contracts";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { user } from "../src/db/schema.js";
import { outboxFor } from "./support/outbox.js";
import { createTestApp, signUp, type TestAccount, type TestApp } from "./support/test-app.js";
import { DATABASE_KINDS } from "./support/test-database.js";

const SPANISH = { "accept-language": "es-ES,es;q=0.9" };
const SUBJECTS = {
  verify: { en: "Confirm your email address for claudemesh", es: "Confirma tu correo electrónico para claudemesh" },
  invite: { en: "You're invited to a claudemesh mesh", es: "Te han invitado a una malla de claudemesh" },
};

describe.each(DATABASE_KINDS)("emails in the recipient's language on %s", (kind) => {
  let testApp: TestApp;
  let owner: TestAccount;
  let meshSlug: string;
  beforeAll(async () => {
    testApp = await createTestApp(kind);
    owner = await signUp(testApp); // in English
    const created = await testApp.postJson("/api/my/meshes", { name: `Idiomas ${kind}` }, { cookie: owner.cookie });
    meshSlug = Mesh.parse(await created.json()).slug;
  });
  afterAll(() => testApp.close());

  const storedLocale = async (account: TestAccount) =>
    (await testApp.database.db.select().from(user).where(eq(user.id, account.id)))[0]?.locale;

  /** The owner invites `email`, asking in the language `headers` name; returns the invite email's subject. */
  async function inviteSubject(email: string, headers: Record<string, string> = {}) {
    const response = await testApp.postJson(
      `/api/my/meshes/${meshSlug}/invites`,
      { email },
      { cookie: owner.cookie, headers },
    );
    expect(CreatedInvite.parse(await response.json()).email_status).toBe("queued");
    // Emails sent at one test-clock instant come in no set order: the invite is the one with its link.
    const invite = (await outboxFor(testApp, email)).find((sent) => sent.body.includes("/invite/"));
    return invite?.subject;
  }

  it("a Spanish sign-up is stored as Spanish, and its verification emails stay Spanish whoever asks", async () => {
    const spanish = await signUp(testApp, {}, SPANISH);
    expect(await storedLocale(spanish)).toBe("es");
    expect((await outboxFor(testApp, spanish.email))[0]?.subject).toBe(SUBJECTS.verify.es);

    // A new link asked for from an English page is still written in the account's language.
    const resent = await testApp.postJson(
      "/api/auth/send-verification-email",
      { email: spanish.email },
      { cookie: spanish.cookie, headers: { "accept-language": "en" } },
    );
    expect(resent.status).toBe(200);
    expect((await outboxFor(testApp, spanish.email)).map((email) => email.subject)).toEqual([
      SUBJECTS.verify.es,
      SUBJECTS.verify.es,
    ]);
  });

  it("a sign-up on the Spanish register form is stored as Spanish", async () => {
    const email = `formulario.${Date.now()}@example.test`;
    const response = await testApp.postForm(
      "/register",
      { name: "Formulario", email, password: "correct horse battery" },
      { headers: { cookie: "claudemesh_lang=es" } },
    );
    expect(response.status).toBe(303);
    const [row] = await testApp.database.db.select().from(user).where(eq(user.email, email));
    expect(row?.locale).toBe("es");
  });

  it("the language is not the sign-up's to choose in its body", async () => {
    const email = `elige.${Date.now()}@example.test`;
    const body = { name: "Elige", email, password: "correct horse battery", locale: "xx" };
    const response = await testApp.postJson("/api/auth/sign-up/email", body);
    expect(response.status).toBe(400);
    expect(await testApp.database.db.select().from(user).where(eq(user.email, email))).toEqual([]);
  });

  it("an invite to an account's address is written in that account's language, not the inviter's", async () => {
    const spanish = await signUp(testApp, {}, SPANISH);
    expect(await inviteSubject(spanish.email)).toBe(SUBJECTS.invite.es);
    const english = await signUp(testApp);
    expect(await inviteSubject(english.email.toUpperCase(), SPANISH)).toBe(SUBJECTS.invite.en);
  });

  it("an invite to an address with no account follows the inviter's language", async () => {
    expect(await inviteSubject(`nadie.${Date.now()}@example.test`, SPANISH)).toBe(SUBJECTS.invite.es);
    expect(await inviteSubject(`nobody.${Date.now()}@example.test`)).toBe(SUBJECTS.invite.en);
  });
});
