import { Hono, type MiddlewareHandler } from "hono";
import { csrf } from "hono/csrf";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../app-env.js";
import { onError } from "./errors.js";
import { sameOrigin } from "./same-origin.js";

const OURS = "http://localhost:3000";
const EVIL = "https://evil.example";

/** A write behind one CSRF guard: ours, or Hono's set to the same origin. */
function behind(guard: MiddlewareHandler) {
  const app = new Hono<AppEnv>();
  app.use("*", guard);
  app.on(["POST", "PUT", "DELETE"], "/write", (c) => c.text("written"));
  app.onError(onError);
  return app;
}
const guards = { ours: behind(sameOrigin(OURS)), hono: behind(csrf({ origin: OURS })) };

async function statuses(method: string, headers: Record<string, string>, body?: string) {
  const send = (app: Hono<AppEnv>) => app.request("/write", { method, headers, body });
  return { ours: (await send(guards.ours)).status, hono: (await send(guards.hono)).status };
}

const FORM = { "content-type": "application/x-www-form-urlencoded" };

describe("same-origin check, beside hono/csrf", () => {
  it.each([
    ["our own form post", { ...FORM, origin: OURS }, 200],
    [
      "an opaque Origin whose browser says same-origin",
      { ...FORM, origin: "null", "sec-fetch-site": "same-origin" },
      200,
    ],
    ["another site's form post", { ...FORM, origin: EVIL }, 403],
    ["an opaque Origin from another site", { ...FORM, origin: "null", "sec-fetch-site": "cross-site" }, 403],
    ["no Origin, cross-site by Sec-Fetch-Site", { ...FORM, "sec-fetch-site": "cross-site" }, 403],
  ])("agrees with Hono's on %s", async (_label, headers, status) => {
    expect(await statuses("POST", headers, "name=x")).toEqual({ ours: status, hono: status });
  });

  // Why ours stays: hono/csrf checks only the content types a form can send and leaves
  // the rest to the browser's CORS preflight. Ours refuses every write from another site,
  // whatever it carries: the API's cookie-authenticated writes are JSON (caller.ts), and
  // the tests of cross-site JSON writes (my-api, device-code, hardening/web) rely on it.
  it.each([
    ["a JSON body", "POST", { "content-type": "application/json" }, "{}"],
    ["an octet stream", "PUT", { "content-type": "application/octet-stream" }, "x"],
  ])("refuses a cross-site write with %s, which hono/csrf lets through", async (_label, method, headers, body) => {
    expect(await statuses(method, { ...headers, origin: EVIL }, body)).toEqual({ ours: 403, hono: 200 });
  });

  it("answers its refusal as our JSON error (a page on the pages: errors.tsx)", async () => {
    const response = await guards.ours.request("/write", { method: "POST", headers: { ...FORM, origin: EVIL } });
    expect(await response.json()).toEqual({ error: "forbidden", message: "Cross-site request refused." });
  });
});
