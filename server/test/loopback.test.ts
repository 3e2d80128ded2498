import { LoopbackTokenResponse } from "@claudemesh/sdk/contracts";
import { parseToken } from "@claudemesh/sdk/token";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, cliLoopbackCode } from "../src/db/schema.js";
import { LOOPBACK_CODE_LIFETIME_MS } from "../src/loopback/loopback-store.js";
import { STEP_UP_WINDOW_MS } from "../src/step-up/freshness.js";
import { authorizeQuery, pkce, REDIRECT } from "./support/loopback-login.js";
import { createTestApp, PUBLIC_URL, signUp, type TestAccount, type TestApp } from "./support/test-app.js";
import { DATABASE_KINDS } from "./support/test-database.js";

const EDITOR = "vscode://claudemesh.claudemesh/did-authenticate";

describe.each(DATABASE_KINDS)("browser (loopback) login on %s", (kind) => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp(kind);
  });
  afterAll(() => testApp.close());

  const decide = (account: TestAccount, query: Record<string, string>, decision: string, origin = PUBLIC_URL) =>
    testApp.app.request("/cli-auth/authorize", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: account.cookie, origin },
      body: new URLSearchParams({ ...query, decision }).toString(),
    });
  const exchange = (body: Record<string, string>) => testApp.postJson("/api/auth/cli/loopback/token", body);

  /** Approves in the "browser" and returns the code the redirect carries. */
  async function approvedCode(account: TestAccount, challenge: string) {
    const query = authorizeQuery(challenge);
    const response = await decide(account, query, "approve");
    expect(response.status).toBe(303);
    const back = new URL(response.headers.get("location") ?? "");
    expect(back.origin + back.pathname).toBe(REDIRECT);
    expect(back.searchParams.get("state")).toBe(query.state);
    return back.searchParams.get("code") ?? "";
  }

  it("approving an hour after signing in asks to confirm it's you first, then comes back to the card (step-up)", async () => {
    const account = await signUp(testApp);
    testApp.clock.advance(STEP_UP_WINDOW_MS + 60_000);
    const query = authorizeQuery(pkce().challenge);
    const response = await decide(account, query, "approve");
    expect(response.status).toBe(303);
    const card = `/cli-auth/authorize?${new URLSearchParams(query)}`;
    expect(response.headers.get("location")).toBe(`/confirm?next=${encodeURIComponent(card)}`);
    const issued = await testApp.database.db
      .select()
      .from(cliLoopbackCode)
      .where(eq(cliLoopbackCode.codeChallenge, query.code_challenge));
    expect(issued).toHaveLength(0);
    // Refusing needs no proof.
    const denied = await decide(account, query, "deny");
    expect(new URL(denied.headers.get("location") ?? "").searchParams.get("error")).toBe("access_denied");
  });

  it("sends a signed-out browser to the login page, coming back here after", async () => {
    const query = new URLSearchParams(authorizeQuery(pkce().challenge));
    const response = await testApp.get(`/cli-auth/authorize?${query}`);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`/login?next=${encodeURIComponent(`/cli-auth/authorize?${query}`)}`);
  });

  it("shows the approval card with the device and the phishing warning", async () => {
    const account = await signUp(testApp);
    const query = new URLSearchParams(authorizeQuery(pkce().challenge));
    const response = await testApp.get(`/cli-auth/authorize?${query}`, { cookie: account.cookie });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Link this CLI session?");
    expect(html).toContain("<bdi>Grace&#39;s desktop</bdi> · <bdi>linux</bdi> · <bdi>x64</bdi>");
    expect(html).toContain(account.email);
    expect(html).toContain("Approve only if you started this sign-in in your own terminal just now.");
    expect(html).toContain("http://127.0.0.1:53682 on this computer");
  });

  it("sends VS Code's sign-in back to the editor (vscode://claudemesh.claudemesh), saying so before the approval", async () => {
    const account = await signUp(testApp, { name: "Vera Code" });
    const { verifier, challenge } = pkce();
    const query = authorizeQuery(challenge, { redirect_uri: EDITOR, device_name: "Visual Studio Code · ada-laptop" });
    const card = await testApp.get(`/cli-auth/authorize?${new URLSearchParams(query)}`, { cookie: account.cookie });
    expect(card.status).toBe(200);
    expect(await card.text()).toContain("vscode://claudemesh.claudemesh on this computer");
    // The approval's redirect goes to the editor's scheme, which has no origin for form-action to name.
    expect(card.headers.get("content-security-policy")).toContain("form-action 'self' vscode:;");

    const approved = await decide(account, query, "approve");
    expect(approved.status).toBe(303);
    const back = new URL(approved.headers.get("location") ?? "");
    expect(`${back.protocol}//${back.host}${back.pathname}`).toBe(EDITOR);
    expect(back.searchParams.get("state")).toBe(query.state);
    const code = back.searchParams.get("code") ?? "";
    // Only the editor holding the verifier, naming the same redirect, can trade the code.
    const response = await exchange({ code, code_verifier: verifier, redirect_uri: EDITOR });
    expect(response.status).toBe(200);
    expect(LoopbackTokenResponse.parse(await response.json()).user.name).toBe("Vera Code");
    const audit = await testApp.database.db.select().from(auditLog).where(eq(auditLog.userId, account.id));
    expect(audit.find((row) => row.action === "auth.cli.login.approved")?.metadata).toMatchObject({
      flow: "browser",
      redirect: "vscode://claudemesh.claudemesh",
    });
  });

  it("lets the approval form's redirect reach the CLI's loopback address, and no other site (form-action)", async () => {
    const account = await signUp(testApp);
    const query = new URLSearchParams(authorizeQuery(pkce().challenge));
    const response = await testApp.get(`/cli-auth/authorize?${query}`, { cookie: account.cookie });
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain(`form-action 'self' ${new URL(REDIRECT).origin};`);
    expect(csp).toContain("frame-ancestors 'none'");
    const login = await testApp.get("/login");
    expect(login.headers.get("content-security-policy")).toContain("form-action 'self';");
  });

  it.each([
    ["a redirect off this machine", { redirect_uri: "https://evil.example/callback" }],
    ["a redirect to another VS Code extension", { redirect_uri: "vscode://evil.extension/did-authenticate" }],
    ["an editor redirect with a user name in front", { redirect_uri: "vscode://claudemesh.claudemesh@evil/x" }],
    ["a plain challenge method", { code_challenge_method: "plain" }],
    ["no state", { state: "" }],
  ])("refuses %s with a 400 page and no redirect", async (_label, overrides) => {
    const account = await signUp(testApp);
    const query = new URLSearchParams(authorizeQuery(pkce().challenge, overrides));
    const response = await testApp.get(`/cli-auth/authorize?${query}`, { cookie: account.cookie });
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
    expect(await response.text()).toContain("This sign-in link is not valid");
  });

  it("approve → code → back-channel exchange with the PKCE verifier → session token", async () => {
    const account = await signUp(testApp, { name: "Grace Hopper" });
    const { verifier, challenge } = pkce();
    const code = await approvedCode(account, challenge);
    const response = await exchange({ code, code_verifier: verifier, redirect_uri: REDIRECT });
    expect(response.status).toBe(200);
    const body = LoopbackTokenResponse.parse(await response.json());
    expect(parseToken(body.token).kind).toBe("session");
    expect(body.user).toMatchObject({ id: account.id, name: "Grace Hopper" });
    const me = await testApp.get("/api/my/whoami", { token: body.token });
    expect(await me.json()).toMatchObject({ credential: { kind: "session", name: "Grace's desktop" } });
  });

  it("the code is single use", async () => {
    const account = await signUp(testApp);
    const { verifier, challenge } = pkce();
    const code = await approvedCode(account, challenge);
    expect((await exchange({ code, code_verifier: verifier, redirect_uri: REDIRECT })).status).toBe(200);
    const again = await exchange({ code, code_verifier: verifier, redirect_uri: REDIRECT });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: "invalid_input" });
  });

  it("a wrong verifier spends the code: not even the right one works after", async () => {
    const account = await signUp(testApp);
    const { verifier, challenge } = pkce();
    const code = await approvedCode(account, challenge);
    expect((await exchange({ code, code_verifier: pkce().verifier, redirect_uri: REDIRECT })).status).toBe(400);
    expect((await exchange({ code, code_verifier: verifier, redirect_uri: REDIRECT })).status).toBe(400);
  });

  it("the code must come back with the redirect URI it was issued for, within 60 s", async () => {
    const account = await signUp(testApp);
    const first = pkce();
    const code = await approvedCode(account, first.challenge);
    const elsewhere = await exchange({ code, code_verifier: first.verifier, redirect_uri: "http://127.0.0.1:1/other" });
    expect(elsewhere.status).toBe(400);

    const second = pkce();
    const late = await approvedCode(account, second.challenge);
    testApp.clock.advance(LOOPBACK_CODE_LIFETIME_MS);
    expect((await exchange({ code: late, code_verifier: second.verifier, redirect_uri: REDIRECT })).status).toBe(400);
  });

  it("deny sends the browser back with error=access_denied and no code", async () => {
    const account = await signUp(testApp);
    const query = authorizeQuery(pkce().challenge);
    const response = await decide(account, query, "deny");
    expect(response.status).toBe(303);
    const back = new URL(response.headers.get("location") ?? "");
    expect(back.searchParams.get("error")).toBe("access_denied");
    expect(back.searchParams.get("state")).toBe(query.state);
    expect(back.searchParams.has("code")).toBe(false);
  });

  it("refuses a cross-site approval", async () => {
    const account = await signUp(testApp);
    const response = await decide(account, authorizeQuery(pkce().challenge), "approve", "https://evil.example");
    expect(response.status).toBe(403);
    expect(response.headers.get("location")).toBeNull();
  });

  it("keeps only the hash of a code", async () => {
    const account = await signUp(testApp);
    const code = await approvedCode(account, pkce().challenge);
    const rows = await testApp.database.db.select().from(cliLoopbackCode);
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(code);
  });
});
