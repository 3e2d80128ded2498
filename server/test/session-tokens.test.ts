import { createHmac, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { session } from "../src/db/schema.js";
import { sha256 } from "../src/hash.js";
import { createTestApp, sessionCookie, signUp, type TestAccount, type TestApp } from "./support/test-app.js";
import { DATABASE_KINDS } from "./support/test-database.js";

const SECRET = randomBytes(32).toString("hex");
const COOKIE = "better-auth.session_token";

/** A session cookie for `value`, signed as Better Auth signs it: what a thief holding the secret could make. */
function signedCookie(value: string): string {
  const signature = createHmac("sha256", SECRET).update(value).digest("base64");
  return `${COOKIE}=${encodeURIComponent(`${value}.${signature}`)}`;
}

/** The raw token inside a browser's session cookie. */
function rawToken(cookie: string): string {
  const value =
    cookie
      .split("; ")
      .find((pair) => pair.startsWith(`${COOKIE}=`))
      ?.slice(COOKIE.length + 1) ?? "";
  return decodeURIComponent(value).split(".")[0] ?? "";
}

describe.each(DATABASE_KINDS)("browser session tokens at rest on %s", (kind) => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp(kind, { secret: SECRET });
  });
  afterAll(() => testApp.close());

  const signedIn = async (cookie: string) =>
    (await (await testApp.get("/api/auth/get-session", { cookie })).json()) !== null;
  const storedTokens = async () =>
    (await testApp.database.db.select({ token: session.token }).from(session)).map((row) => row.token);
  async function anotherBrowser(account: TestAccount) {
    const response = await testApp.postJson("/api/auth/sign-in/email", {
      email: account.email,
      password: account.password,
    });
    return sessionCookie(response);
  }

  it("keeps only the hash, so a copy of the database and the secret is not a sign-in", async () => {
    const account = await signUp(testApp);
    const raw = rawToken(account.cookie);
    expect(raw).toMatch(/^[A-Za-z0-9]{20,}$/);
    const stored = await storedTokens();
    expect(stored).toContain(sha256(raw));
    expect(stored.join("\n")).not.toContain(raw);

    // The forger is right: the raw token signed with the secret is a session...
    expect(await signedIn(signedCookie(raw))).toBe(true);
    // ...but what the database holds, signed the same way, is not.
    expect(await signedIn(signedCookie(sha256(raw)))).toBe(false);
  });

  it("Better Auth's revoke-other-sessions ends the others and keeps this one", async () => {
    const account = await signUp(testApp);
    const others = [await anotherBrowser(account), await anotherBrowser(account)];
    const response = await testApp.postJson("/api/auth/revoke-other-sessions", {}, { cookie: account.cookie });
    expect(response.status).toBe(200);
    for (const cookie of others) expect(await signedIn(cookie)).toBe(false);
    expect(await signedIn(account.cookie)).toBe(true);
  });

  it("revoke-session takes what list-sessions lists, or a raw token, and only the caller's own", async () => {
    const account = await signUp(testApp);
    const mallory = await signUp(testApp);
    const other = await anotherBrowser(account);
    const listed = (await (await testApp.get("/api/auth/list-sessions", { cookie: account.cookie })).json()) as {
      token: string;
    }[];
    const otherListed = listed.find((row) => row.token === sha256(rawToken(other)));
    expect(otherListed).toBeTruthy();
    expect(JSON.stringify(listed)).not.toContain(rawToken(other));

    const byMallory = await testApp.postJson(
      "/api/auth/revoke-session",
      { token: otherListed?.token },
      { cookie: mallory.cookie },
    );
    expect(byMallory.status).toBe(200);
    expect(await signedIn(other)).toBe(true);

    await testApp.postJson("/api/auth/revoke-session", { token: otherListed?.token }, { cookie: account.cookie });
    expect(await signedIn(other)).toBe(false);

    const third = await anotherBrowser(account);
    await testApp.postJson("/api/auth/revoke-session", { token: rawToken(third) }, { cookie: account.cookie });
    expect(await signedIn(third)).toBe(false);
    expect(await signedIn(account.cookie)).toBe(true);
  });

  it("the upgrade hashes tokens stored before, and their browsers stay signed in", async () => {
    const account = await signUp(testApp);
    const raw = randomBytes(16).toString("hex").slice(0, 32).replace(/[a-f]/g, "A");
    await testApp.database.db.insert(session).values({
      id: `old-${raw}`,
      token: raw,
      userId: account.id,
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    const migration = readFileSync(new URL("../migrations/0005_hash_session_tokens.sql", import.meta.url), "utf8");
    await testApp.database.db.execute(sql.raw(migration));
    expect(await storedTokens()).toContain(sha256(raw));
    expect(await signedIn(signedCookie(raw))).toBe(true);
    // Run again (a second instance starting), nothing changes.
    await testApp.database.db.execute(sql.raw(migration));
    expect(await signedIn(signedCookie(raw))).toBe(true);
  });
});
