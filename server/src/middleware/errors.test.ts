import { ClaudemeshError } from "@claudemesh/sdk/errors";
import { mintToken } from "@claudemesh/sdk/token";
import { Hono } from "hono";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AppEnv } from "../app-env.js";
import { pageContextOf } from "../pages/page-context.js";
import { notFound, onError, routeOf } from "./errors.js";

const SECRET = "X8870thYN_rLYk04QpLVr18P0La0E5UmXkAtNSj_YAo";
/** A token a handler let slip into its error message. */
const LEAKED_TOKEN = mintToken("pat");

/** A sub-app mounted as the real ones are, failing in a route, in middleware and for lack of a database. */
function appThatFails() {
  const things = new Hono<AppEnv>();
  things.get("/:secret", () => {
    throw new Error("bug while reading");
  });
  things.get("/:secret/offline", () => {
    throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
  });
  const app = new Hono<AppEnv>();
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
    expect(await response.json()).toEqual({ error: "database_unavailable", message: "The database is not answering." });
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

describe("one error path: routes throw, onError answers JSON or a page", () => {
  /** Routes that throw typed errors, on the API, on a page (its middleware ran) and elsewhere. */
  function appThatRefuses() {
    const app = new Hono<AppEnv>();
    app.use("/page/*", async (c, next) => {
      c.set("page", pageContextOf(c));
      await next();
    });
    const slugTaken = () => {
      throw new ClaudemeshError("slug_taken", `The slug "ops" is taken; try "ops-2".`, { suggestion: "ops-2" });
    };
    const refused = () => {
      throw new ClaudemeshError("forbidden", "Cross-site request refused.");
    };
    app.post("/api/meshes", slugTaken);
    app.post("/page/form", refused);
    app.post("/other", refused);
    app.get("/api/token", () => {
      throw new ClaudemeshError("not_found", `No such token ${LEAKED_TOKEN}.`);
    });
    app.notFound(notFound);
    app.onError(onError);
    return app;
  }
  const html = { accept: "text/html" };

  it("answers a typed error with its code's status and body, and a suggestion when it carries one", async () => {
    const response = await appThatRefuses().request("/api/meshes", { method: "POST", headers: html });
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({
      error: "slug_taken",
      message: `The slug "ops" is taken; try "ops-2".`,
      suggestion: "ops-2",
    });
  });

  it("redacts tokens a message quotes", async () => {
    const body = await (await appThatRefuses().request("/api/token")).json();
    expect(body).toEqual({ error: "not_found", message: `No such token ${LEAKED_TOKEN.slice(0, 11)}….` });
  });

  it("answers on a page with the page, whatever the Accept header, in the request's language", async () => {
    const response = await appThatRefuses().request("/page/form", {
      method: "POST",
      headers: { "accept-language": "es" },
    });
    expect(response.status).toBe(403);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(await response.text()).toContain("Solicitud rechazada");
  });

  it("off the pages, answers a browser with a page and anything else with JSON", async () => {
    const app = appThatRefuses();
    const browser = await app.request("/other", { method: "POST", headers: html });
    expect([browser.status, browser.headers.get("content-type")]).toEqual([403, "text/html; charset=UTF-8"]);
    const script = await app.request("/other", { method: "POST" });
    expect([script.status, await script.json()]).toEqual([
      403,
      { error: "forbidden", message: "Cross-site request refused." },
    ]);
    const unknown = await app.request("/nope", { headers: html });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain("Page not found");
    const api = await app.request("/api/nope", { headers: html });
    expect(await api.json()).toEqual({ error: "not_found", message: "No route for GET /api/nope." });
  });
});
