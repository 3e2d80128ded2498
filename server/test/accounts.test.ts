import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, sessionCookie, signUp, type TestApp } from "./support/test-app.js";
import { DATABASE_KINDS } from "./support/test-database.js";

describe.each(DATABASE_KINDS)("accounts on %s", (kind) => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp(kind);
  });
  afterAll(() => testApp.close());

  it("sign-up, sign-in and the session cookie identify the user", async () => {
    const account = await signUp(testApp, { name: "Ada Lovelace" });

    const signIn = await testApp.postJson("/api/auth/sign-in/email", {
      email: account.email,
      password: account.password,
    });
    expect(signIn.status).toBe(200);
    const cookie = sessionCookie(signIn);
    expect(cookie).toMatch(/session_token=/);

    const session = await testApp.get("/api/auth/get-session", { cookie });
    expect(session.status).toBe(200);
    const body = (await session.json()) as { user: { id: string; name: string; email: string } };
    expect(body.user).toMatchObject({ id: account.id, name: "Ada Lovelace", email: account.email });
  });

  it("sign-out ends the web session", async () => {
    const account = await signUp(testApp);
    const signOut = await testApp.postJson("/api/auth/sign-out", {}, { cookie: account.cookie });
    expect(signOut.status).toBe(200);

    const session = await testApp.get("/api/auth/get-session", { cookie: account.cookie });
    expect(await session.json()).toBeNull();
  });

  it("a wrong password is a 401 in our error shape", async () => {
    const account = await signUp(testApp);
    const response = await testApp.postJson("/api/auth/sign-in/email", {
      email: account.email,
      password: "not the password",
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "invalid_email_or_password", message: expect.any(String) });
  });

  it("an email can hold only one account, and signing up with a taken one answers as a new one does", async () => {
    const account = await signUp(testApp);
    const fresh = await testApp.postJson("/api/auth/sign-up/email", {
      name: "Someone New",
      email: `new.${Date.now()}@example.test`,
      password: "another password",
    });
    const again = await testApp.postJson("/api/auth/sign-up/email", {
      name: "Someone Else",
      email: account.email,
      password: "another password",
    });
    expect([again.status, fresh.status]).toEqual([200, 200]);
    // Each field of the same type, in the same order (a taken address's answer once had `locale: null`).
    const shape = async (response: Response) => {
      const body = (await response.json()) as { token: unknown; user: Record<string, unknown> };
      return { token: body.token, fields: Object.entries(body.user).map(([key, value]) => `${key}: ${typeof value}`) };
    };
    expect(await shape(again)).toEqual(await shape(fresh));
    expect([again.headers.getSetCookie(), fresh.headers.getSetCookie()]).toEqual([[], []]);
    // A name the server refuses is refused alike for a taken address (its answer once was a made-up 200).
    const badName = async (email: string) =>
      (await testApp.postJson("/api/auth/sign-up/email", { name: "a\u200bb", email, password: "another password" }))
        .status;
    expect([await badName(account.email), await badName(`other.${Date.now()}@example.test`)]).toEqual([400, 400]);
    const owners = await testApp.database.db.query.user.findMany();
    expect(owners.filter((row) => row.email === account.email).map((row) => row.name)).toEqual([account.name]);
  });

  it("passwords are stored hashed", async () => {
    const account = await signUp(testApp, { password: "plain text never stored" });
    const rows = await testApp.database.db.query.account.findMany();
    const stored = rows.find((row) => row.userId === account.id);
    expect(stored?.password).toBeTruthy();
    expect(stored?.password).not.toContain("plain text never stored");
  });
});
