import { RegExpRouter } from "hono/router/reg-exp-router";
import { describe, expect, it } from "vitest";
import { createTestApp } from "./support/test-app.js";

describe("routing", () => {
  // Hono's SmartRouter keeps its one-regex router only if every route fits it; a
  // single route that does not (two patterned parameters at one position did)
  // sends every request of the app, whoami included, through the slower trie.
  it("every route of the app fits Hono's RegExpRouter", async () => {
    const testApp = await createTestApp("pglite");
    try {
      const router = new RegExpRouter<unknown>();
      for (const route of testApp.app.routes) router.add(route.method, route.path, route.handler);
      expect(() => router.match("GET", "/api/my/whoami")).not.toThrow();
    } finally {
      await testApp.close();
    }
  });
});
