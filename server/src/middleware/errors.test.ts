import { Hono } from "hono";
import { afterEach, describe, expect, it, vi } from "vitest";
import { databaseUnavailable, onError, routeOf } from "./errors.js";

const SECRET = "X8870thYN_rLYk04QpLVr18P0La0E5UmXkAtNSj_YAo";

/** A sub-app mounted as the real ones are, failing in a route, in middleware and for lack of a database. */
function appThatFails() {
  const things = new Hono();
  things.get("/:secret", () => {
    throw new Error("bug while reading");
  });
  things.get("/:secret/offline", (c) => databaseUnavailable(c, new Error("connect ECONNREFUSED 127.0.0.1:5432")));
  const app = new Hono();
  app.use("/api/guarded/*", () => {
    throw new Error("middleware bug");
  });
  app.route("/api/things", things);
  app.get("/api/where", (c) => c.text(routeOf(c)));
  app.notFound((c) => c.text(routeOf(c), 404));
  app.onError(onError);
  return app;
}

describe("error logs name the route, not the path", () => {
  afterEach(() => vi.restoreAllMocks());

  function logged() {
    const printed = vi.spyOn(console, "error").mockImplementation(() => {});
    return () => printed.mock.calls.map((call) => String(call[0]));
  }

  it("a 500 in a mounted route logs its pattern on one line, its stack escaped", async () => {
    const lines = logged();
    const response = await appThatFails().request(`/api/things/${SECRET}`);
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain("bug");
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toMatch(/^\[claudemesh\] GET \/api\/things\/:secret failed: Error: bug while reading\\n/);
    expect(lines()[0]).toContain("\\n    at ");
    expect(lines()[0]).not.toContain(SECRET);
    expect(lines()[0]).not.toMatch(/[\r\n]/);
  });

  it("a database outage logs the route pattern, not the secret in the path", async () => {
    const lines = logged();
    const response = await appThatFails().request(`/api/things/${SECRET}/offline`);
    expect(response.status).toBe(503);
    expect(lines()).toEqual([
      "[claudemesh] GET /api/things/:secret/offline: database unavailable (connect ECONNREFUSED 127.0.0.1:5432)",
    ]);
  });

  it("a failure in middleware logs the middleware's pattern; a forged line in the path stays in the path", async () => {
    const lines = logged();
    await appThatFails().request("/api/guarded/%0d%0a[claudemesh]%20forged");
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toMatch(/^\[claudemesh\] GET \/api\/guarded\/\* failed: /);
    expect(lines()[0]).not.toContain("forged");
  });

  it('names a plain route by its path, and a request no route or middleware matched as "(no route)"', async () => {
    const app = appThatFails();
    expect(await (await app.request("/api/where")).text()).toBe("GET /api/where");
    expect(await (await app.request(`/nowhere/${SECRET}`)).text()).toBe("GET (no route)");
  });
});
