import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseNetworks } from "../src/policy/networks.js";
import { pollOk, requestDeviceCode } from "./support/device-login.js";
import { authorizeQuery, pkce } from "./support/loopback-login.js";
import { pageText as text } from "./support/page-text.js";
import { createTestApp, signUp, type TestApp } from "./support/test-app.js";

// A server owner's policy for CLI sign-ins (docs/self-hosting.md): DEVICE_FLOW=off
// and APPROVAL_NETWORKS, each refusing with a clear 403 before anything is looked up.

function networks(list: string) {
  const parsed = parseNetworks(list);
  if (!("networks" in parsed)) throw new Error(`bad networks: ${parsed.invalid.join(", ")}`);
  return parsed.networks;
}

/** A browser login's authorize query, as `claudemesh login --web` sends it. */
const loopbackQuery = () => new URLSearchParams(authorizeQuery(pkce().challenge));

describe("DEVICE_FLOW=off", () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp("pglite", { policy: { deviceFlow: false, approvalNetworks: null } });
  });
  afterAll(() => testApp.close());

  it("answers a request for a device code 403 device_flow_disabled, naming the ways that still work", async () => {
    const raw = await testApp.postJson("/api/auth/cli/device-code", {
      device_name: "laptop",
      device_os: "linux",
      device_arch: "x64",
    });
    expect(raw.status).toBe(403);
    const body = (await raw.json()) as { error: string; message: string };
    expect(body.error).toBe("device_flow_disabled");
    expect(body.message).toContain("claudemesh login --web");
    expect(body.message).toContain("personal access token");
  });

  it("shows the code page as turned off, in English and Spanish, and looks nothing up", async () => {
    const account = await signUp(testApp);
    const page = await testApp.get("/cli-auth?code=BCDF-GHJK", { cookie: account.cookie });
    expect(page.status).toBe(403);
    expect(text(await page.text())).toContain("Sign-in with a code is turned off");
    const es = await testApp.postForm(
      "/cli-auth",
      { code: "BCDF-GHJK" },
      { cookie: account.cookie, headers: { "accept-language": "es" } },
    );
    expect(es.status).toBe(403);
    expect(text(await es.text())).toContain("El inicio de sesión con código está desactivado");
    const api = await testApp.get("/api/auth/cli/device-code/BCDF-GHJK", { cookie: account.cookie });
    expect(api.status).toBe(403);
    expect(await api.json()).toMatchObject({ error: "device_flow_disabled" });
  });

  it("leaves the browser login (loopback) on", async () => {
    const account = await signUp(testApp);
    const card = await testApp.get(`/cli-auth/authorize?${loopbackQuery()}`, { cookie: account.cookie });
    expect(card.status).toBe(200);
    expect(text(await card.text())).toContain("Link this CLI session?");
  });
});

describe("APPROVAL_NETWORKS", () => {
  let testApp: TestApp;
  const from = (address: string) => ({ "x-forwarded-for": address });
  beforeAll(async () => {
    testApp = await createTestApp("pglite", {
      trustedProxies: 1,
      policy: { deviceFlow: true, approvalNetworks: networks("10.0.0.0/8, 2001:db8:10::/48") },
    });
  });
  afterAll(() => testApp.close());

  it("approves from inside the networks, IPv4 and IPv6", async () => {
    for (const address of ["10.20.30.40", "2001:db8:10:beef::1"]) {
      const account = await signUp(testApp);
      const code = await requestDeviceCode(testApp);
      const card = await testApp.postForm(
        "/cli-auth",
        { code: code.user_code },
        { cookie: account.cookie, headers: from(address) },
      );
      expect(text(await card.text())).toContain("Link this CLI session?");
      const approved = await testApp.postForm(
        "/cli-auth",
        { code: code.user_code, decision: "approve" },
        { cookie: account.cookie, headers: from(address) },
      );
      expect(approved.status).toBe(200);
      expect((await pollOk(testApp, code.device_code)).status).toBe("approved");
    }
  });

  it("refuses an approval from outside with a page that says why, and the login stays pending", async () => {
    const account = await signUp(testApp);
    const code = await requestDeviceCode(testApp);
    for (const address of ["198.51.100.9", "2001:db8:11::1"]) {
      const link = await testApp.get(`/cli-auth?code=${code.user_code}`, {
        cookie: account.cookie,
        headers: from(address),
      });
      expect(link.status).toBe(403);
      expect(text(await link.text())).toContain("Approve from your organisation's network");
      const approval = await testApp.postForm(
        "/cli-auth",
        { code: code.user_code, decision: "approve" },
        { cookie: account.cookie, headers: from(address) },
      );
      expect(approval.status).toBe(403);
      const api = await testApp.postJson(
        `/api/auth/cli/device-code/${code.user_code}/approve`,
        {},
        { cookie: account.cookie, headers: from(address) },
      );
      expect(api.status).toBe(403);
      expect(await api.json()).toMatchObject({ error: "approval_network_refused" });
    }
    const es = await testApp.get(`/cli-auth?code=${code.user_code}`, {
      cookie: account.cookie,
      headers: { ...from("198.51.100.9"), "accept-language": "es" },
    });
    expect(text(await es.text())).toContain("Aprueba desde la red de tu organización");
    expect((await pollOk(testApp, code.device_code)).status).toBe("pending");
  });

  it("refuses a browser login's approval (loopback) from outside too", async () => {
    const account = await signUp(testApp);
    const outside = await testApp.get(`/cli-auth/authorize?${loopbackQuery()}`, {
      cookie: account.cookie,
      headers: from("198.51.100.9"),
    });
    expect(outside.status).toBe(403);
    expect(text(await outside.text())).toContain("Approve from your organisation's network");
    const inside = await testApp.get(`/cli-auth/authorize?${loopbackQuery()}`, {
      cookie: account.cookie,
      headers: from("10.1.1.1"),
    });
    expect(inside.status).toBe(200);
  });
});
