import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NoStoreServerResponse, noStore } from "./no-store.js";

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

describe("noStore on the server's own HTTP answers (NoStoreServerResponse)", () => {
  const server = createAdaptorServer({ fetch: app().fetch, serverOptions: { ServerResponse: NoStoreServerResponse } });
  let base = "";
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  const get = (path: string) => fetch(`${base}${path}`, { redirect: "manual" });

  it.each(["/api/token", "/invite/secret", "/api/broken", "/api/unknown"])(
    "marks %s no-store once, whatever the route set or however it failed",
    async (path) => {
      const response = await get(path);
      expect(caching(response)).toEqual(["no-store", "no-cache"]);
      await response.arrayBuffer();
    },
  );

  it.each(["/assets/../api/token", "/assets/%2e%2e/api/token", "/assets/./../api/token"])(
    "marks %s no-store: the route it reaches is the API's, not an asset",
    async (path) => {
      // Sent as written (fetch would tidy the path first), as curl --path-as-is or a proxy may.
      const head = await new Promise<string>((resolve, reject) => {
        const { port } = server.address() as AddressInfo;
        const socket = connect(port, "127.0.0.1", () => {
          socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
        });
        let text = "";
        socket.on("data", (chunk) => {
          text += chunk.toString();
        });
        socket.on("end", () => resolve(text.split("\r\n\r\n")[0] ?? ""));
        socket.on("error", reject);
      });
      expect(head).toMatch(/^HTTP\/1\.1 201/);
      expect(head.toLowerCase()).toContain("cache-control: no-store");
      expect(head.toLowerCase()).not.toContain("max-age");
    },
  );

  it("leaves the content-hashed assets cacheable, and the answers whole", async () => {
    const asset = await get("/assets/site.css");
    expect(caching(asset)).toEqual(["public, max-age=31536000, immutable", null]);
    expect(await asset.text()).toBe("body{}");
    const token = await get("/api/token");
    expect(token.status).toBe(201);
    expect(await token.json()).toEqual({ token: "cm_pat_…" });
  });
});
