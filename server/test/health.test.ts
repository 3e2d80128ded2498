import { describe, expect, it } from "vitest";
import { createTestApp, signUp } from "./support/test-app.js";
import { DATABASE_KINDS } from "./support/test-database.js";

describe.each(DATABASE_KINDS)("health on %s", (kind) => {
  it("healthz answers ok while the database answers, 503 once it does not", async () => {
    const testApp = await createTestApp(kind);
    const healthy = await testApp.get("/healthz");
    expect(healthy.status).toBe(200);
    expect(await healthy.json()).toEqual({ status: "ok" });

    await testApp.close();
    const unhealthy = await testApp.get("/healthz");
    expect(unhealthy.status).toBe(503);
    expect(await unhealthy.json()).toMatchObject({ error: "database_unavailable" });
  });
});

describe("a lost Postgres connection", () => {
  it("is a 503 database_unavailable on our routes, Better Auth's and pages, not a 500", async () => {
    const testApp = await createTestApp("postgres");
    const account = await signUp(testApp);
    await testApp.close();

    const answers = [
      await testApp.get("/api/my/whoami", { cookie: account.cookie }),
      await testApp.get("/api/auth/get-session", { cookie: account.cookie }),
      await testApp.postJson("/api/auth/sign-in/email", { email: account.email, password: account.password }),
      await testApp.postJson("/api/auth/cli/device-code", { device_name: "x", device_os: "linux", device_arch: "x64" }),
    ];
    for (const answer of answers) {
      expect([answer.status, await answer.json()]).toEqual([
        503,
        { error: "database_unavailable", message: expect.any(String) },
      ]);
    }
    const page = await testApp.get("/dashboard/settings/cli-tokens", {
      cookie: account.cookie,
      headers: { accept: "text/html" },
    });
    expect(page.status).toBe(503);
    expect(await page.text()).toContain("Temporarily unavailable");
  });
});
