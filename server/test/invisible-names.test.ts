// Names that look blank, or like another name, because of characters that show
// nothing (issue 25, finding 10: `a\u200bb\u2060c\u3164` was stored). Every door
// that takes a name answers 4xx with a code and a message that names the
// character, and the forms say what to type instead, in English and Spanish.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { en } from "../src/i18n/en.js";
import { es } from "../src/i18n/es.js";
import { createTestApp, signUp, type TestApp } from "./support/test-app.js";
import { DATABASE_KINDS } from "./support/test-database.js";

const INVISIBLE = [
  { name: "a\u200bb\u2060c\u3164", found: "U+200B" },
  { name: "Ada\u200d", found: "U+200D" },
  { name: "Ada\u2063Lovelace", found: "U+2063" },
  { name: "Ada\ufeffLovelace", found: "U+FEFF" },
  { name: "Ada\u00adLovelace", found: "U+00AD" },
  { name: "\u3164", found: "U+3164" },
  { name: "\u115f\u1160", found: "U+115F" },
  { name: "\u2800\u2800", found: "U+2800" },
];
/** Marks on nothing: no invisible character, but nothing a reader sees either. */
const NOTHING_VISIBLE = "\u0301\u0308";

/** The page's text with the entities hono/jsx writes turned back into characters. */
const pageText = async (response: Response) =>
  (await response.text()).replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code)));

describe.each(DATABASE_KINDS)("names with invisible characters on %s", (kind) => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp(kind);
  });
  afterAll(() => testApp.close());

  it.each(INVISIBLE)("refuses $name at every API door, naming $found", async ({ name, found }) => {
    const account = await signUp(testApp);
    const signUpAnswer = await testApp.postJson("/api/auth/sign-up/email", {
      name,
      email: `invisible.${Date.now()}.${Math.random()}@example.test`,
      password: "correct horse battery",
    });
    expect(signUpAnswer.status).toBe(400);
    expect(await signUpAnswer.json()).toMatchObject({ error: "invalid_name", message: expect.stringContaining(found) });

    const update = await testApp.postJson("/api/auth/update-user", { name }, { cookie: account.cookie });
    expect(update.status).toBe(400);
    expect(await update.json()).toMatchObject({ error: "invalid_name" });

    for (const [path, body] of [
      ["/api/my/meshes", { name }],
      ["/api/my/cli/tokens", { name, expires_in_days: 30 }],
      ["/api/auth/cli/device-code", { device_name: name, device_os: "linux", device_arch: "x64" }],
    ] as const) {
      const answer = await testApp.postJson(path, body, { cookie: account.cookie });
      expect({ path, status: answer.status }).toEqual({ path, status: 400 });
      const error = (await answer.json()) as { error: string; message: string };
      expect(error).toMatchObject({ error: "invalid_input" });
      expect(error.message).toContain(`must not contain invisible characters (found ${found})`);
    }
  });

  it("refuses a name with nothing a reader sees", async () => {
    const account = await signUp(testApp);
    const answer = await testApp.postJson("/api/my/meshes", { name: NOTHING_VISIBLE }, { cookie: account.cookie });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({
      error: "invalid_input",
      message: expect.stringContaining("must contain at least one visible character"),
    });
  });

  it("keeps names in other scripts, accents and emoji", async () => {
    const account = await signUp(testApp);
    for (const [index, name] of ["José Núñez", "李小龙", "Zoë 🚀", "مرحبا"].entries()) {
      const slug = `kept-${index}`; // names without Latin letters give no slug of their own
      const answer = await testApp.postJson("/api/my/meshes", { name, slug }, { cookie: account.cookie });
      expect({ name, status: answer.status }).toEqual({ name, status: 201 });
    }
  });

  it.each([
    { language: "en", messages: en },
    { language: "es", messages: es },
  ])("the register form says what to type instead ($language)", async ({ language, messages }) => {
    for (const name of ["a\u200bb\u2060c\u3164", NOTHING_VISIBLE]) {
      const form = await testApp.postForm(
        "/register",
        {
          name,
          email: `invisible.form.${Date.now()}.${Math.random()}@example.test`,
          password: "correct horse battery",
        },
        { headers: { "accept-language": language } },
      );
      expect(form.status).toBe(400);
      expect(await pageText(form)).toContain(messages["register.nameInvisible"]);
    }
  });

  it("the new-token form says what is wrong with the name", async () => {
    const account = await signUp(testApp);
    const form = await testApp.postForm(
      "/dashboard/settings/cli-tokens",
      { name: "ci\u200bdeploy", expiry: "30" },
      { cookie: account.cookie },
    );
    expect(form.status).toBe(400);
    const page = await pageText(form);
    expect(page).toContain(en["tokens.new.nameInvalid"]);
    expect(page).not.toContain(en["tokens.new.nameLong"]);
  });
});
