// The web side against the real server process: cross-site posts change
// nothing, no page can be framed (checked in real Chromium), `next=` never
// leaves the site, and the session cookie carries the right flags.
import { useBrowser } from "@claudemesh/test-support/browser";
import { useOtherSite } from "@claudemesh/test-support/other-site";
import { type RunningServer, startClaudemeshServer } from "@claudemesh/test-support/server-process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pollDeviceCode, requestDeviceCode } from "./support/device-codes.js";

const EVIL = "https://evil.example";

describe("web hardening on the real server", () => {
  let server: RunningServer;
  let origin = "";
  beforeAll(async () => {
    server = await startClaudemeshServer();
    origin = new URL(server.url).origin;
  });
  afterAll(() => server?.stop());

  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

  const newCode = () => requestDeviceCode(server.url);
  const pollStatus = async (deviceCode: string) => (await pollDeviceCode(server.url, deviceCode)).body.status;
  async function tokenCount(cookie: string) {
    const response = await fetch(`${server.url}/api/my/cli/tokens`, { headers: { cookie } });
    return ((await response.json()) as { tokens: unknown[] }).tokens.length;
  }

  it("refuses every cross-site write, by Origin or by Sec-Fetch-Site, and nothing changes", async () => {
    const account = await server.signUp("Cross Site");
    const code = await newCode();
    const tokensBefore = await tokenCount(account.cookie);
    const writes: { path: string; method?: string; type: string; body: string }[] = [
      { path: "/cli-auth", type: "form", body: form({ code: code.user_code, decision: "approve" }) },
      { path: `/api/auth/cli/device-code/${code.user_code}/approve`, type: "json", body: "{}" },
      { path: `/api/auth/cli/device-code/${code.user_code}/deny`, type: "json", body: "{}" },
      { path: "/dashboard/settings/cli-tokens", type: "form", body: form({ name: "stolen", expiry: "30" }) },
      { path: "/api/my/cli/tokens", type: "json", body: JSON.stringify({ name: "stolen" }) },
      { path: "/api/my/meshes", type: "json", body: JSON.stringify({ name: "Stolen Mesh" }) },
      { path: "/logout", type: "form", body: "" },
      { path: "/login", type: "form", body: form({ email: account.email, password: "correct horse battery" }) },
    ];
    const headerSets: Record<string, string>[] = [
      { origin: EVIL },
      { origin: "null", "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "cross-site" },
    ];
    for (const write of writes) {
      for (const extra of headerSets) {
        const contentType = write.type === "form" ? "application/x-www-form-urlencoded" : "application/json";
        const response = await fetch(`${server.url}${write.path}`, {
          method: write.method ?? "POST",
          headers: { cookie: account.cookie, "content-type": contentType, ...extra },
          body: write.body,
          redirect: "manual",
        });
        expect({ path: write.path, headers: extra, status: response.status }).toEqual({
          path: write.path,
          headers: extra,
          status: 403,
        });
      }
    }
    expect(await pollStatus(code.device_code)).toBe("pending");
    expect(await tokenCount(account.cookie)).toBe(tokensBefore);
    const session = await fetch(`${server.url}/api/auth/get-session`, { headers: { cookie: account.cookie } });
    expect(await session.json()).not.toBeNull(); // the cross-site /logout did not sign them out
  });

  it("sends every page with framing forbidden twice over (X-Frame-Options and CSP frame-ancestors)", async () => {
    const account = await server.signUp("Framed");
    const code = await newCode();
    const pages = [
      "/login",
      "/register",
      "/logout",
      `/cli-auth?code=${code.user_code}`,
      "/cli-auth",
      "/dashboard/settings/cli-tokens",
      "/invite/not-a-real-invite",
      "/no-such-page",
    ];
    for (const path of pages) {
      const response = await fetch(`${server.url}${path}`, {
        headers: { cookie: account.cookie, accept: "text/html" },
        redirect: "manual",
      });
      expect({ path, frameOptions: response.headers.get("x-frame-options") }).toEqual({ path, frameOptions: "DENY" });
      expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    }
  });

  describe("in real Chromium", () => {
    const browser = useBrowser();
    // Another site that tries to show the approval page inside its own, under a fake button.
    const attacker = useOtherSite(
      (target) => `<!doctype html><title>win a prize</title><iframe id="victim" src="${target}"></iframe>`,
    );

    it("will not render the sign-in or approval page inside another site's frame", async () => {
      const code = await newCode();
      const context = await browser.context("en");
      const page = await context.newPage();
      // Pages that need no cookie, so what stops them is the framing rule, not a missing session.
      for (const path of ["/login", `/cli-auth?code=${code.user_code}`, "/register"]) {
        await page.goto(`${server.url}${path}`);
        expect({ path, direct: await page.locator("input, button").count() }).not.toEqual({ path, direct: 0 });

        await page.goto(attacker.url(`${server.url}${path}`));
        await page.waitForLoadState("load");
        const framed = page.frames().find((frame) => frame !== page.mainFrame());
        const framedControls = framed ? await framed.locator("input, button").count() : 0;
        expect({ path, framedControls }).toEqual({ path, framedControls: 0 });
      }
      expect(await pollStatus(code.device_code)).toBe("pending");
    });
  });

  it("never redirects off the site after sign-in, whatever next= says", async () => {
    const account = await server.signUp("Redirected");
    const attempts = [
      "//evil.example",
      "https://evil.example/",
      "http:evil.example",
      "/\\evil.example",
      "\\\\evil.example",
      "/%2F%2Fevil.example",
      "%2F%2Fevil.example",
      "/\t/evil.example",
      " //evil.example",
      "javascript:alert(1)",
      "data:text/html,hi",
      "/%5Cevil.example",
      "/..//evil.example",
      "///evil.example",
    ];
    for (const next of attempts) {
      const response = await fetch(`${server.url}/login`, {
        method: "POST",
        headers: { origin, "content-type": "application/x-www-form-urlencoded" },
        body: form({ email: account.email, password: "correct horse battery", next }),
        redirect: "manual",
      });
      const location = response.headers.get("location") ?? "";
      expect({ next, status: response.status }).toEqual({ next, status: 303 });
      expect({ next, lands: new URL(location, server.url).origin }).toEqual({ next, lands: origin });

      const language = await fetch(`${server.url}/lang/es?next=${encodeURIComponent(next)}`, { redirect: "manual" });
      const back = language.headers.get("location") ?? "";
      expect({ next, lands: new URL(back, server.url).origin }).toEqual({ next, lands: origin });
    }
  });

  it("sets the session cookie HttpOnly, SameSite=Lax, site-wide, and not Secure over plain http", async () => {
    const account = await server.signUp("Cookie Flags");
    const response = await fetch(`${server.url}/login`, {
      method: "POST",
      headers: { origin, "content-type": "application/x-www-form-urlencoded" },
      body: form({ email: account.email, password: "correct horse battery" }),
      redirect: "manual",
    });
    const session = response.headers.getSetCookie().find((line) => /session_token=/.test(line)) ?? "";
    expect(session).toMatch(/;\s*HttpOnly/i);
    expect(session).toMatch(/;\s*SameSite=Lax/i);
    expect(session).toMatch(/;\s*Path=\//i);
    expect(session).not.toMatch(/;\s*Secure/i);
  });
});

describe("web hardening behind https", () => {
  let server: RunningServer;
  const publicUrl = "https://auth.example.test";
  beforeAll(async () => {
    server = await startClaudemeshServer({ publicUrl });
  });
  afterAll(() => server?.stop());

  it("marks the session cookie Secure with the __Secure- prefix when PUBLIC_URL is https", async () => {
    const email = `secure.${Date.now()}@example.test`;
    const response = await fetch(`${server.url}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { origin: publicUrl, "content-type": "application/json" },
      body: JSON.stringify({ name: "Secure", email, password: "correct horse battery" }),
    });
    expect(response.status).toBe(200);
    const signedIn = await fetch(`${server.url}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { origin: publicUrl, "content-type": "application/json" },
      body: JSON.stringify({ email, password: "correct horse battery" }),
    });
    const session = signedIn.headers.getSetCookie().find((line) => /session_token=/.test(line)) ?? "";
    expect(session).toMatch(/^__Secure-/);
    expect(session).toMatch(/;\s*Secure/i);
    expect(session).toMatch(/;\s*HttpOnly/i);
  });
});
