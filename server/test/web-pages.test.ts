import { DEFAULT_PAT_LIFETIME_DAYS } from "@claudemesh/sdk/contracts";
import { parseToken } from "@claudemesh/sdk/token";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEVICE_CODE_LIFETIME_MS } from "../src/device-codes/device-code-store.js";
import { RATE_LIMITS } from "../src/limits/rate-limits.js";
import { pollOk, requestDeviceCode } from "./support/device-login.js";
import { pageText as text } from "./support/page-text.js";
import { createTestApp, PUBLIC_URL, sessionCookie, signUp, type TestApp } from "./support/test-app.js";

const TOKENS = "/dashboard/settings/cli-tokens";

describe("web pages", () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp("pglite");
  });
  afterAll(() => testApp.close());

  describe("headers every page carries", () => {
    it.each(["/login", "/register", "/cli-auth"])("%s cannot be framed, cached or leak its URL", async (path) => {
      const response = await testApp.get(path);
      const csp = response.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain("unsafe-inline");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(response.headers.get("referrer-policy")).toBe("same-origin");
    });

    it("serves the stylesheet and script the CSP allows, cached by version", async () => {
      const html = await (await testApp.get("/login")).text();
      for (const path of [/href="(\/assets\/site\.css\?v=\w+)"/, /src="(\/assets\/site\.js\?v=\w+)"/]) {
        const asset = html.match(path)?.[1] ?? "";
        const response = await testApp.get(asset);
        expect(response.status).toBe(200);
        expect(response.headers.get("cache-control")).toContain("immutable");
      }
    });

    it("answers a browser's unknown path with a page and an API client's with JSON", async () => {
      const page = await testApp.get("/nope", { headers: { accept: "text/html" } });
      expect(page.status).toBe(404);
      expect(page.headers.get("content-type")).toContain("text/html");
      expect(text(await page.text())).toContain("Page not found");
      const api = await testApp.get("/api/nope", { headers: { accept: "text/html" } });
      expect(await api.json()).toMatchObject({ error: "not_found" });
    });
  });

  describe("register, login, logout", () => {
    it("registers with the form, signs in, and returns to next", async () => {
      const response = await testApp.postForm("/register", {
        name: "Grace Hopper",
        email: "grace@example.test",
        password: "correct horse battery",
        next: "/cli-auth?code=BCDF-GHJK",
      });
      expect(response.status).toBe(303);
      expect(response.headers.get("location")).toBe("/cli-auth?code=BCDF-GHJK");
      const cookie = response.headers.getSetCookie().find((line) => line.includes("session_token")) ?? "";
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      expect(cookie).not.toMatch(/Secure/i);
      const dashboard = await testApp.get(TOKENS, { cookie: sessionCookie(response) });
      expect(text(await dashboard.text())).toContain("Signed in as grace@example.test");
    });

    it.each([
      [{ name: "", email: "a@example.test", password: "long enough pw" }, 400, "Enter your name."],
      [{ name: "A", email: "not-an-email", password: "long enough pw" }, 400, "Enter a valid email address."],
      [{ name: "A", email: "a@example.test", password: "short" }, 400, "at least 8 characters"],
    ])("refuses %j with a message and keeps what was typed", async (fields, status, message) => {
      const response = await testApp.postForm("/register", fields);
      expect(response.status).toBe(status);
      const html = await response.text();
      expect(text(html)).toContain(message);
      if (fields.email) expect(html).toContain(`value="${fields.email}"`);
      expect(response.headers.getSetCookie()).toEqual([]);
    });

    it("signs in with the form and refuses a wrong password without saying which field was wrong", async () => {
      const account = await signUp(testApp);
      const wrong = await testApp.postForm("/login", { email: account.email, password: "wrong password" });
      expect(wrong.status).toBe(401);
      expect(text(await wrong.text())).toContain("That email and password do not match an account.");

      const right = await testApp.postForm("/login", {
        email: account.email.toUpperCase(),
        password: account.password,
        next: TOKENS,
      });
      expect(right.status).toBe(303);
      expect(right.headers.get("location")).toBe(TOKENS);
    });

    it.each(["https://evil.example/", "//evil.example", "/\\evil.example"])(
      "never redirects off-site after sign-in (next=%s)",
      async (next) => {
        const account = await signUp(testApp);
        const response = await testApp.postForm("/login", { email: account.email, password: account.password, next });
        expect(response.headers.get("location")).toBe(TOKENS);
      },
    );

    it("stops guessing one account's password after a handful of failures", async () => {
      const account = await signUp(testApp);
      for (let i = 0; i < RATE_LIMITS.passwordPerAccountAndAddress.limit; i += 1) {
        expect((await testApp.postForm("/login", { email: account.email, password: `guess ${i}` })).status).toBe(401);
      }
      const right = await testApp.postForm("/login", { email: account.email, password: account.password });
      expect(right.status).toBe(429);
      expect(text(await right.text())).toContain("Too many failed sign-ins");
      testApp.clock.advance(RATE_LIMITS.passwordPerAccountAndAddress.windowMs);
      expect((await testApp.postForm("/login", { email: account.email, password: account.password })).status).toBe(303);
    });

    it.each([
      ["another site's Origin", { origin: "https://evil.example" }],
      ["no Origin and a cross-site fetch", { origin: "", "sec-fetch-site": "cross-site" }],
    ])("refuses a form post with %s", async (_label, headers) => {
      const account = await signUp(testApp);
      const response = await testApp.postForm(
        "/login",
        { email: account.email, password: account.password },
        { headers },
      );
      expect(response.status).toBe(403);
      expect(text(await response.text())).toContain("Request refused");
      expect(response.headers.getSetCookie()).toEqual([]);
    });

    it("accepts its own form post when the browser sends an opaque Origin but says same-origin", async () => {
      const account = await signUp(testApp);
      const response = await testApp.postForm(
        "/login",
        { email: account.email, password: account.password },
        { headers: { origin: "null", "sec-fetch-site": "same-origin" } },
      );
      expect(response.status).toBe(303);
    });

    it("signs out with a post, never with a link", async () => {
      const account = await signUp(testApp);
      const asks = await testApp.get("/logout", { cookie: account.cookie });
      expect(text(await asks.text())).toContain("Sign out of claudemesh?");
      expect((await testApp.get(TOKENS, { cookie: account.cookie })).status).toBe(200);

      const out = await testApp.postForm("/logout", {}, { cookie: account.cookie });
      expect(out.status).toBe(303);
      expect(out.headers.get("location")).toBe("/login?signed_out");
      expect((await testApp.get(TOKENS, { cookie: account.cookie })).status).toBe(302);
    });
  });

  describe("/cli-auth", () => {
    it("sends a signed-out visitor to sign in and back to the same code", async () => {
      const response = await testApp.get("/cli-auth?code=BCDF-GHJK");
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toBe(`/login?next=${encodeURIComponent("/cli-auth?code=BCDF-GHJK")}`);
    });

    it("asks for the code when the URL has none, says what a code looks like when it is malformed, and looks nothing up for a link from another site", async () => {
      const account = await signUp(testApp);
      const empty = await testApp.get("/cli-auth", { cookie: account.cookie });
      expect(text(await empty.text())).toContain("Enter the code shown in your terminal");
      const malformed = await testApp.get("/cli-auth?code=12", { cookie: account.cookie });
      expect(malformed.status).toBe(400);
      expect(text(await malformed.text())).toContain("A code has 8 letters, like ABCD-EFGH.");

      // More wrong-code links than the account has lookups: none of them spends one.
      for (let i = 0; i < RATE_LIMITS.userCodesPerAccount.limit + 5; i += 1) {
        const visit = await testApp.get("/cli-auth?code=BBBB-BBBB", {
          cookie: account.cookie,
          headers: { "sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate" },
        });
        expect(visit.status).toBe(200);
      }
      const code = await requestDeviceCode(testApp);
      const card = await testApp.postForm("/cli-auth", { code: code.user_code }, { cookie: account.cookie });
      expect(card.status).toBe(200);
      expect(text(await card.text())).toContain("Ada's laptop · linux · x64");
    });

    it("fills the form in from the link, shows the card on its post, approves with a plain form post, and the CLI's poll gets the token", async () => {
      const account = await signUp(testApp);
      const code = await requestDeviceCode(testApp);
      const form = await testApp.get(`/cli-auth?code=${code.user_code.toLowerCase()}`, { cookie: account.cookie });
      expect(form.status).toBe(200);
      const formHtml = await form.text();
      expect(formHtml).toContain(`value="${code.user_code}"`);
      expect(formHtml).toContain('method="post" action="/cli-auth"');
      expect(text(formHtml)).toContain("Check that this is the code your terminal shows");
      expect(text(formHtml)).not.toContain("Ada's laptop");

      const card = await testApp.postForm(
        "/cli-auth",
        { code: code.user_code.toLowerCase() },
        { cookie: account.cookie },
      );
      const html = text(await card.text());
      expect(html).toContain(code.user_code);
      expect(html).toContain("Ada's laptop · linux · x64");
      expect(html).toContain(`Expires in ${DEVICE_CODE_LIFETIME_MS / 60_000}:00`);
      expect(html).toContain("Approve only if you started this sign-in");

      const approved = await testApp.postForm(
        "/cli-auth",
        { code: code.user_code, decision: "approve" },
        { cookie: account.cookie },
      );
      expect(approved.status).toBe(200);
      expect(text(await approved.text())).toContain("CLI authenticated Return to your terminal.");
      const result = await pollOk(testApp, code.device_code);
      expect(parseToken(result.token ?? "").kind).toBe("session");

      const again = await testApp.postForm("/cli-auth", { code: code.user_code }, { cookie: account.cookie });
      expect(text(await again.text())).toContain("CLI authenticated");
    });

    it("denies, and the CLI's poll is told", async () => {
      const account = await signUp(testApp);
      const code = await requestDeviceCode(testApp);
      const denied = await testApp.postForm(
        "/cli-auth",
        { code: code.user_code, decision: "deny" },
        { cookie: account.cookie },
      );
      expect(text(await denied.text())).toContain("Login denied");
      expect((await pollOk(testApp, code.device_code)).status).toBe("denied");
    });

    it("gives unknown, expired and someone else's used codes their own pages", async () => {
      const account = await signUp(testApp);
      const other = await signUp(testApp);
      const unknown = await testApp.postForm("/cli-auth", { code: "BBBB-BBBB" }, { cookie: account.cookie });
      expect(unknown.status).toBe(404);
      expect(text(await unknown.text())).toContain("No login is waiting for BBBB-BBBB");

      const used = await requestDeviceCode(testApp);
      await testApp.postForm("/cli-auth", { code: used.user_code, decision: "approve" }, { cookie: other.cookie });
      const usedPage = await testApp.postForm("/cli-auth", { code: used.user_code }, { cookie: account.cookie });
      expect(usedPage.status).toBe(409);
      expect(text(await usedPage.text())).toContain("This code was already used");

      const stale = await requestDeviceCode(testApp);
      testApp.clock.advance(DEVICE_CODE_LIFETIME_MS);
      const expired = await testApp.postForm("/cli-auth", { code: stale.user_code }, { cookie: account.cookie });
      expect(expired.status).toBe(410);
      expect(text(await expired.text())).toContain("This code has expired");
      const lateApproval = await testApp.postForm(
        "/cli-auth",
        { code: stale.user_code, decision: "approve" },
        { cookie: account.cookie },
      );
      expect(lateApproval.status).toBe(410);
    });

    it("refuses a lookup or an approval posted from another site", async () => {
      const account = await signUp(testApp);
      const code = await requestDeviceCode(testApp);
      const lookup = await testApp.postForm(
        "/cli-auth",
        { code: code.user_code },
        { cookie: account.cookie, headers: { origin: "https://evil.example" } },
      );
      expect(lookup.status).toBe(403);
      const response = await testApp.postForm(
        "/cli-auth",
        { code: code.user_code, decision: "approve" },
        { cookie: account.cookie, headers: { origin: "https://evil.example" } },
      );
      expect(response.status).toBe(403);
      expect((await pollOk(testApp, code.device_code)).status).toBe("pending");
    });
  });

  describe("CLI tokens dashboard", () => {
    it("creates a token, shows it once after the redirect, and revoking it makes the next call fail", async () => {
      const account = await signUp(testApp);
      const posted = await testApp.postForm(TOKENS, { name: "ci-deploy", expiry: "30" }, { cookie: account.cookie });
      // Post/redirect/get: the token rides to the next page in a sealed cookie, never in the URL.
      expect(posted.status).toBe(303);
      expect(posted.headers.get("location")).toBe(TOKENS);
      expect(await posted.text()).not.toMatch(/cm_pat_/);
      const flash = sessionCookie(posted);
      expect(flash).not.toMatch(/cm_pat_/);
      const created = await testApp.get(TOKENS, { cookie: `${account.cookie}; ${flash}` });
      expect(created.headers.get("cache-control")).toBe("no-store");
      expect(created.headers.getSetCookie().join()).toMatch(/claudemesh_flash=;/);
      const html = await created.text();
      expect(text(html)).toContain("This token will not be shown again.");
      const token = html.match(/value="(cm_pat_[a-z2-7]+)"/)?.[1] ?? "";
      expect(parseToken(token).kind).toBe("pat");
      expect((await testApp.get("/api/my/whoami", { token })).status).toBe(200);

      // A reload (the browser no longer has the flash) lists it; a replayed flash is no second token either.
      const listed = await testApp.get(TOKENS, { cookie: account.cookie });
      const listing = await listed.text();
      expect(text(listing)).toContain("ci-deploy");
      expect(listing).not.toContain(token);
      expect(listing.match(/cli-tokens\/revoke\//g)).toHaveLength(1);
      const tampered = await testApp.get(TOKENS, { cookie: `${account.cookie}; ${flash.replace(/=(.)/, "=x$1")}` });
      expect(await tampered.text()).not.toMatch(/cm_pat_/);
      const id = listing.match(/cli-tokens\/revoke\/([\w-]+)"/)?.[1] ?? "";

      const confirm = await testApp.get(`${TOKENS}/revoke/${id}`, { cookie: account.cookie });
      expect(text(await confirm.text())).toContain("Revoke the token “ci-deploy”?");
      const revoked = await testApp.postForm(`${TOKENS}/revoke/${id}`, {}, { cookie: account.cookie });
      expect(revoked.status).toBe(303);
      expect(revoked.headers.get("location")).toBe(`${TOKENS}?done=token-revoked`);
      const rejected = await testApp.get("/api/my/whoami", { token });
      expect(rejected.status).toBe(401);
      expect(await rejected.json()).toMatchObject({ error: "token_revoked" });
    });

    const defaultExpiry = String(DEFAULT_PAT_LIFETIME_DAYS);
    // One account for the three forms: this file's sign-ups stay under the per-address limit (30).
    let formAccount: Awaited<ReturnType<typeof signUp>> | undefined;
    it.each([
      ["a new form", defaultExpiry, undefined],
      ["a form sent back for an expiry it does not offer", defaultExpiry, { name: "ok", expiry: "7" }],
      ["a form sent back for a missing name", "never", { name: "", expiry: "never" }],
    ])(
      "%s selects %s: the one default lifetime (the API's, the CLI's, the extension's) unless one offered was chosen",
      async (_label, expected, fields) => {
        formAccount ??= await signUp(testApp);
        const account = formAccount;
        const page = fields
          ? await testApp.postForm(TOKENS, fields, { cookie: account.cookie })
          : await testApp.get(TOKENS, { cookie: account.cookie });
        const selected = [...(await page.text()).matchAll(/<option value="(\w+)" selected/g)].map((match) => match[1]);
        expect(selected).toEqual([expected]);
      },
    );

    it("a token's one-time display expires with its cookie, two minutes after the post", async () => {
      const account = await signUp(testApp);
      const posted = await testApp.postForm(TOKENS, { name: "late", expiry: "30" }, { cookie: account.cookie });
      testApp.clock.advance(121_000);
      const late = await testApp.get(TOKENS, { cookie: `${account.cookie}; ${sessionCookie(posted)}` });
      expect(await late.text()).not.toMatch(/cm_pat_/);
    });

    it.each([
      [{ name: "", expiry: "30" }, "Give the token a name"],
      [{ name: "x".repeat(101), expiry: "30" }, "at most 100 characters"],
      [{ name: "ok", expiry: "7" }, "Choose one of the offered expirations."],
    ])("refuses %j and creates nothing", async (fields, message) => {
      const account = await signUp(testApp);
      const response = await testApp.postForm(TOKENS, fields, { cookie: account.cookie });
      expect(response.status).toBe(400);
      const html = await response.text();
      expect(text(html)).toContain(message);
      expect(html).not.toContain("cm_pat_");
    });

    it("lists CLI sessions and revokes one, which signs that terminal out", async () => {
      const account = await signUp(testApp);
      const code = await requestDeviceCode(testApp);
      await testApp.postForm("/cli-auth", { code: code.user_code, decision: "approve" }, { cookie: account.cookie });
      const token = (await pollOk(testApp, code.device_code)).token ?? "";
      const listing = await (await testApp.get(TOKENS, { cookie: account.cookie })).text();
      expect(text(listing)).toContain("Ada's laptop · linux · x64");
      const id = listing.match(/cli-tokens\/revoke\/([\w-]+)"/)?.[1] ?? "";
      const confirm = text(await (await testApp.get(`${TOKENS}/revoke/${id}`, { cookie: account.cookie })).text());
      expect(confirm).toContain("Sign out Ada's laptop?");
      await testApp.postForm(`${TOKENS}/revoke/${id}`, {}, { cookie: account.cookie });
      expect((await testApp.get("/api/my/whoami", { token })).status).toBe(401);
    });

    it("cannot see or revoke another user's token", async () => {
      const owner = await signUp(testApp);
      const intruder = await signUp(testApp);
      await testApp.postForm(TOKENS, { name: "mine", expiry: "30" }, { cookie: owner.cookie });
      const listing = await (await testApp.get(TOKENS, { cookie: owner.cookie })).text();
      const id = listing.match(/cli-tokens\/revoke\/([\w-]+)"/)?.[1] ?? "";
      expect(text(await (await testApp.get(TOKENS, { cookie: intruder.cookie })).text())).not.toContain("mine");
      const attempt = await testApp.postForm(`${TOKENS}/revoke/${id}`, {}, { cookie: intruder.cookie });
      expect(attempt.headers.get("location")).toBe(`${TOKENS}?done=gone`);
      expect(text(await (await testApp.get(TOKENS, { cookie: owner.cookie })).text())).toContain("mine");
      const madeUp = await testApp.get(`${TOKENS}/revoke/no-such-token`, { cookie: owner.cookie });
      expect(madeUp.headers.get("location")).toBe(`${TOKENS}?done=gone`);
    });

    it("sends a signed-out visitor to sign in", async () => {
      const response = await testApp.get(TOKENS);
      expect(response.headers.get("location")).toBe(`/login?next=${encodeURIComponent(TOKENS)}`);
    });
  });

  describe("/invite/:secret", () => {
    it("sends a signed-out visitor to sign in, then shows the mesh and joins it with one post", async () => {
      const owner = await signUp(testApp);
      const guest = await signUp(testApp);
      const mesh = (await (
        await testApp.postJson("/api/my/meshes", { name: "Page mesh" }, { cookie: owner.cookie })
      ).json()) as {
        slug: string;
      };
      const created = (await (
        await testApp.postJson(`/api/my/meshes/${mesh.slug}/invites`, {}, { cookie: owner.cookie })
      ).json()) as { url: string };
      const path = new URL(created.url).pathname;

      const signedOut = await testApp.get(path);
      expect(signedOut.headers.get("location")).toBe(`/login?next=${encodeURIComponent(path)}`);
      const card = text(await (await testApp.get(path, { cookie: guest.cookie })).text());
      expect(card).toContain("Join Page mesh?");
      expect(card).toContain(`${owner.name} invited you to the mesh Page mesh`);

      const joined = await testApp.postForm(path, {}, { cookie: guest.cookie });
      expect(joined.status).toBe(200);
      expect(text(await joined.text())).toContain("You joined Page mesh");
      const used = await testApp.get(path, { cookie: (await signUp(testApp)).cookie });
      expect(used.status).toBe(410);
      expect(text(await used.text())).toContain("This invite was already used");
    });
  });

  describe("languages", () => {
    it("follows Accept-Language, then the switcher's cookie", async () => {
      const spanish = await testApp.get("/login", { headers: { "accept-language": "es-ES,es;q=0.9" } });
      expect(spanish.headers.get("content-language")).toBe("es");
      expect(text(await spanish.text())).toContain("Inicia sesión en claudemesh");

      const switched = await testApp.get(`/lang/en?next=${encodeURIComponent("/login?next=/cli-auth")}`);
      expect(switched.status).toBe(303);
      expect(switched.headers.get("location")).toBe("/login?next=/cli-auth");
      const cookie = switched.headers.getSetCookie()[0] ?? "";
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      const english = await testApp.get("/login", {
        headers: { "accept-language": "es", cookie: cookie.split(";")[0] ?? "" },
      });
      expect(text(await english.text())).toContain("Sign in to claudemesh");
    });

    it("shows the approval card and its outcome in Spanish", async () => {
      const account = await signUp(testApp);
      const code = await requestDeviceCode(testApp);
      const es = { "accept-language": "es" };
      const card = text(
        await (
          await testApp.postForm("/cli-auth", { code: code.user_code }, { cookie: account.cookie, headers: es })
        ).text(),
      );
      expect(card).toContain("¿Vincular esta sesión de la CLI?");
      expect(card).toContain("Caduca en 10:00");
      const done = await testApp.postForm(
        "/cli-auth",
        { code: code.user_code, decision: "approve" },
        { cookie: account.cookie, headers: es },
      );
      expect(text(await done.text())).toContain("CLI autenticada Vuelve a tu terminal.");
    });
  });

  it("marks cookies Secure when PUBLIC_URL is https", async () => {
    const secure = await createTestApp("pglite", { publicUrl: "https://auth.example.test" });
    try {
      const registered = await secure.postForm("/register", {
        name: "Sec",
        email: "sec@example.test",
        password: "correct horse battery",
      });
      expect(registered.status).toBe(303);
      for (const cookie of registered.headers.getSetCookie()) expect(cookie).toMatch(/;\s*Secure/i);
      const language = await secure.get("/lang/es");
      expect(language.headers.getSetCookie()[0]).toMatch(/;\s*Secure/i);
      const signedIn = await secure.postForm("/login", {
        email: "sec@example.test",
        password: "correct horse battery",
      });
      const device = signedIn.headers.getSetCookie().filter((cookie) => cookie.includes("claudemesh_device_"));
      expect(device).toHaveLength(1);
      expect(device[0]).toMatch(/^__Secure-claudemesh_device_[0-9a-f]{16}=.*;\s*Secure/i);
    } finally {
      await secure.close();
    }
    expect(PUBLIC_URL.startsWith("http://")).toBe(true);
  });
});
