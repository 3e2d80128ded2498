// Property-based fuzzing of every route of the real server process: malformed
// JSON, wrong types, huge bodies, odd encodings, traversal, overlong codes,
// SQL and HTML metacharacters. Whatever comes in, the answer is a 4xx (or a
// success), never a 5xx or a crash; API errors are always `{ error, message }`.

import { type RunningServer, startClaudemeshServer } from "@claudemesh/test-support/server-process";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

interface Route {
  method: "GET" | "POST" | "DELETE";
  /** `{}` is replaced by a fuzzed path segment. */
  path: string;
  auth: "none" | "token" | "cookie";
  /** Pages answer HTML or redirects; the API answers JSON. */
  kind: "api" | "page";
}

const ROUTES: Route[] = [
  { method: "POST", path: "/api/auth/cli/device-code", auth: "none", kind: "api" },
  { method: "GET", path: "/api/auth/cli/device-code/{}", auth: "none", kind: "api" },
  { method: "GET", path: "/api/auth/cli/device-code/{}", auth: "cookie", kind: "api" },
  { method: "POST", path: "/api/auth/cli/device-code/{}/approve", auth: "cookie", kind: "api" },
  { method: "POST", path: "/api/auth/cli/device-code/{}/deny", auth: "cookie", kind: "api" },
  { method: "POST", path: "/api/auth/cli/loopback/token", auth: "none", kind: "api" },
  { method: "GET", path: "/api/my/whoami", auth: "token", kind: "api" },
  { method: "DELETE", path: "/api/my/cli/sessions/{}", auth: "token", kind: "api" },
  { method: "POST", path: "/api/my/cli/tokens", auth: "token", kind: "api" },
  { method: "DELETE", path: "/api/my/cli/tokens/{}", auth: "token", kind: "api" },
  { method: "POST", path: "/api/my/meshes", auth: "token", kind: "api" },
  { method: "POST", path: "/api/my/meshes/{}/invites", auth: "token", kind: "api" },
  { method: "GET", path: "/api/invites/{}", auth: "token", kind: "api" },
  { method: "POST", path: "/api/invites/{}/accept", auth: "token", kind: "api" },
  { method: "POST", path: "/api/telemetry", auth: "none", kind: "api" },
  { method: "POST", path: "/api/auth/sign-in/email", auth: "none", kind: "api" },
  { method: "POST", path: "/api/auth/sign-up/email", auth: "none", kind: "api" },
  { method: "POST", path: "/api/auth/send-verification-email", auth: "cookie", kind: "api" },
  { method: "GET", path: "/api/auth/verify-email?token={}&callbackURL={}", auth: "cookie", kind: "api" },
  { method: "GET", path: "/api/{}", auth: "token", kind: "api" },
  { method: "GET", path: "/cli-auth?code={}", auth: "cookie", kind: "page" },
  { method: "POST", path: "/cli-auth", auth: "cookie", kind: "page" },
  { method: "POST", path: "/login", auth: "none", kind: "page" },
  { method: "POST", path: "/register", auth: "none", kind: "page" },
  { method: "POST", path: "/dashboard/settings/cli-tokens", auth: "cookie", kind: "page" },
  { method: "GET", path: "/invite/{}", auth: "cookie", kind: "page" },
  { method: "GET", path: "/email-verification?error={}&next={}", auth: "cookie", kind: "page" },
  { method: "POST", path: "/email-verification/resend", auth: "cookie", kind: "page" },
  { method: "GET", path: "/lang/{}?next={}", auth: "none", kind: "page" },
];

/** Path segments an attacker or a broken client sends. */
const segment = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.constantFrom(
    "../../etc/passwd",
    "..%2f..%2fetc%2fpasswd",
    "%2e%2e%2f",
    "%00",
    "' OR 1=1--",
    '"; DROP TABLE "user"; --',
    "<script>alert(1)</script>",
    "BCDF-GHJK",
    "bcdfghjk",
    "current",
    "A".repeat(5000),
    "%ff%fe",
    "\u0000",
    "ABCD-EFGH-IJKL",
  ),
  fc.string({ minLength: 100, maxLength: 3000 }),
);

/** Bodies: valid-looking JSON with wrong types, broken JSON, binary junk, forms, huge ones. */
const body = fc.oneof(
  fc.json({ maxDepth: 3 }),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  fc
    .record(
      {
        name: fc.anything(),
        email: fc.anything(),
        password: fc.anything(),
        device_name: fc.anything(),
        code: fc.anything(),
        expires_in: fc.anything(),
        expires_in_days: fc.anything(),
        slug: fc.anything(),
        role: fc.anything(),
        events: fc.anything(),
        install_id: fc.anything(),
        redirect_uri: fc.anything(),
      },
      { requiredKeys: [] },
    )
    .map((value) => JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? String(v) : v))),
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    '{"a":',
    "[",
    "null",
    "{}",
    "\u0000\u0001",
    '{"name": "x"'.repeat(500),
    `{"pad":"${"x".repeat(70_000)}"}`,
  ),
  fc
    .string({ maxLength: 50 })
    .map((text) => `name=${encodeURIComponent(text)}&email=${text}&code=${text}&decision=approve`),
);

const contentType = fc.constantFrom(
  "application/json",
  "application/json; charset=utf-16",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "text/plain",
  "",
);

describe("fuzzing every route of the real server", () => {
  let server: RunningServer;
  let cookie = "";
  let token = "";
  let origin = "";
  let requests = 0;
  const failures: string[] = [];

  beforeAll(async () => {
    server = await startClaudemeshServer();
    origin = new URL(server.url).origin;
    const account = await server.signUp("Fuzz Target");
    cookie = account.cookie;
    token = (await server.createPat(cookie, "fuzz")).token;
  });
  afterAll(() => server.stop());

  async function send(route: Route, segments: string[], payload: string, type: string) {
    let index = 0;
    const path = route.path.replace(/\{\}/g, () => encodeURIComponent(segments[index++ % segments.length] ?? ""));
    const headers: Record<string, string> = { origin };
    if (type) headers["content-type"] = type;
    if (route.auth === "token") headers.authorization = `Bearer ${token}`;
    if (route.auth === "cookie") headers.cookie = cookie;
    if (route.kind === "page") headers.accept = "text/html";
    const response = await fetch(`${server.url}${path}`, {
      method: route.method,
      headers,
      body: route.method === "GET" ? undefined : payload,
      redirect: "manual",
    });
    requests += 1;
    const text = await response.text();
    const what = `${route.method} ${path.slice(0, 120)} (${type || "no type"}) → ${response.status}`;
    if (response.status >= 500) failures.push(`${what}: ${text.slice(0, 200)}`);
    if (route.kind === "api" && response.status >= 400) {
      let json: { error?: unknown; message?: unknown } | undefined;
      try {
        json = JSON.parse(text);
      } catch {}
      if (typeof json?.error !== "string" || typeof json?.message !== "string") {
        failures.push(`${what}: not a JSON error: ${text.slice(0, 120)}`);
      }
    }
  }

  it("answers 10 000+ malformed requests with no 5xx, no crash, and JSON errors on the API", async () => {
    for (const route of ROUTES) {
      await fc.assert(
        fc.asyncProperty(
          fc.array(segment, { minLength: 1, maxLength: 2 }),
          body,
          contentType,
          (segments, payload, type) => send(route, segments, payload, type),
        ),
        { numRuns: 420, endOnFailure: false },
      );
    }
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThanOrEqual(10_000);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
  });
});
