import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { answerHeaders } from "./answer-headers.js";
import { pageSecurityHeaders } from "./security-headers.js";

function app() {
  const routes = new Hono();
  routes.use("*", answerHeaders());
  routes.get("/login", (c) => c.html("<h1>Sign in</h1>"));
  routes.get("/broken", () => {
    throw new Error("bug");
  });
  routes.get("/api/my/whoami", (c) => c.json({ user: "ada" }));
  routes.get("/own-policy", (c) => c.html("<p>", 200, { "content-security-policy": "default-src 'self'" }));
  routes.get(
    "/authorize",
    pageSecurityHeaders((c) => c.req.query("back") ?? "'self'"),
    (c) => c.html("<form>"),
  );
  routes.onError((_error, c) => c.html("<h1>Something went wrong</h1>", 500));
  return routes;
}

const headers = (response: Response, ...names: string[]) => names.map((name) => response.headers.get(name));

describe("answer headers", () => {
  it.each(["/login", "/broken", "/no-such-page"])(
    "%s, page, error or 404 alike, cannot be framed, sniffed or leak its URL",
    async (path) => {
      const response = await app().request(path);
      const csp = response.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("form-action 'self'");
      expect(csp).not.toContain("unsafe-inline");
      expect(headers(response, "x-frame-options", "x-content-type-options", "referrer-policy")).toEqual([
        "DENY",
        "nosniff",
        "same-origin",
      ]);
      expect(headers(response, "cache-control", "strict-transport-security")).toEqual(["no-store", null]);
    },
  );

  it("leaves the API's JSON with no-store alone", async () => {
    const response = await app().request("/api/my/whoami");
    expect(headers(response, "cache-control", "content-security-policy", "x-frame-options")).toEqual([
      "no-store",
      null,
      null,
    ]);
  });

  it("keeps a policy a route set itself, and lets one page's forms post one place more", async () => {
    expect(headers(await app().request("/own-policy"), "content-security-policy")).toEqual(["default-src 'self'"]);
    const csp = (await app().request("/authorize?back=http://127.0.0.1:53682")).headers.get("content-security-policy");
    expect(csp).toContain("form-action 'self' http://127.0.0.1:53682;");
    expect(csp).toContain("frame-ancestors 'none'");
  });
});
