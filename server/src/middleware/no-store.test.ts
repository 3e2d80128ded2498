import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { noStore } from "./no-store.js";

function app() {
  const routes = new Hono();
  routes.use("*", noStore());
  routes.get("/api/token", (c) => c.json({ token: "cm_pat_…" }, 201, { "cache-control": "max-age=60" }));
  routes.get("/invite/:secret", (c) => c.redirect("/login?next=/invite/secret", 302));
  routes.get("/api/broken", () => {
    throw new Error("bug");
  });
  routes.get("/assets/site.css", (c) =>
    c.body("body{}", 200, { "cache-control": "public, max-age=31536000, immutable" }),
  );
  routes.onError((_error, c) => c.json({ error: "server_error" }, 500));
  return routes;
}

const caching = (response: Response) => [response.headers.get("cache-control"), response.headers.get("pragma")];

describe("noStore", () => {
  it.each(["/api/token", "/invite/secret", "/api/broken", "/api/unknown"])(
    "marks %s no-store, whatever the route set or however it failed",
    async (path) => {
      expect(caching(await app().request(path))).toEqual(["no-store", "no-cache"]);
    },
  );

  it("leaves the content-hashed assets cacheable", async () => {
    expect(caching(await app().request("/assets/site.css"))).toEqual(["public, max-age=31536000, immutable", null]);
  });
});
