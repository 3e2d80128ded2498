import { describe, expect, it } from "vitest";
import { createTestApp } from "./support/test-app.js";
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
