import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDeviceCode } from "../src/device-codes/device-code-store.js";
import { DEVICE } from "./support/device-login.js";
import { createTestApp, signUp, type TestApp } from "./support/test-app.js";

// What the approval page shows of the device asking to sign in: the address it
// asked from against the approver's own, and only neutral text of its name.
describe("the approval card", () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp("pglite", { trustedProxies: 1 });
  });
  afterAll(() => testApp.close());

  const from = (address: string) => ({ "x-forwarded-for": address });

  async function codeFrom(address: string, device = DEVICE) {
    const { userCode } = await createDeviceCode(
      testApp.database.db,
      device,
      { ipAddress: address, userAgent: null },
      testApp.clock.now(),
    );
    return userCode;
  }

  it("warns when the login was asked for from another network than the approver's", async () => {
    const account = await signUp(testApp);
    const code = await codeFrom("203.0.113.5");
    const elsewhere = await testApp.postForm(
      "/cli-auth",
      { code },
      {
        cookie: account.cookie,
        headers: from("198.51.100.9"),
      },
    );
    const html = await elsewhere.text();
    expect(html).toContain('data-testid="other-network"');
    expect(html).toContain("203.0.113.5");

    const sameNetwork = await testApp.postForm(
      "/cli-auth",
      { code: await codeFrom("2001:db8:5:5::1") },
      {
        cookie: account.cookie,
        headers: from("2001:db8:5:5::beef"),
      },
    );
    expect(await sameNetwork.text()).not.toContain('data-testid="other-network"');
  });

  it("shows a device name stored before names were checked as neutral text", async () => {
    const account = await signUp(testApp);
    const code = await codeFrom("203.0.113.5", {
      device_name: "\u202eexe.gnp\u202c laptop\u001b]0;owned\u0007",
      device_os: "linux\r\n",
      device_arch: "x64",
    });
    const html = await (await testApp.postForm("/cli-auth", { code }, { cookie: account.cookie })).text();
    expect(html).toContain("exe.gnp laptop]0;owned");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: these characters are what must not be on the page.
    expect(html).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/);
  });

  it("refuses a device name with control or bidi characters when the login is asked for", async () => {
    const response = await testApp.postJson("/api/auth/cli/device-code", {
      ...DEVICE,
      device_name: "laptop\u001b[2J",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_input" });
  });
});
