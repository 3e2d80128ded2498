import { describe, expect, it } from "vitest";
import { hasUnsafeCharacters } from "../contracts/neutral-text.js";
import { ClaudemeshError, SlowDownError } from "../errors.js";
import { ApiClient } from "./client.js";

// What a hostile server puts in names: a window title (OSC 0), a clipboard write
// (OSC 52), a screen clear (CSI), a carriage return over a fake line, a C1 CSI and
// a right-to-left override.
const HOSTILE = "\u001b]0;owned\u0007Ada\u001b]52;c;cm0gLXJm\u0007\u001b[2J\r✔ Signed out\u009b31m\u202eevil";
const SHOWN = "]0;ownedAda]52;c;cm0gLXJm[2J✔ Signed out31mevil";
const WHEN = "2026-01-01T00:00:00.000Z";

/** One answer of a fake server; `fail` is a failure before any answer (refused, TLS). */
type Answer = { status: number; statusText?: string; body: string } | { fail: Error };

/** A fake server behind `fetch`: answers every path from a table and records what it was sent. */
function answering(table: Record<string, Answer | Answer[]>) {
  const sent: { method: string; path: string; headers: Headers }[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    request.signal.throwIfAborted();
    const path = new URL(request.url).pathname;
    sent.push({ method: request.method, path, headers: request.headers });
    const entry = table[path];
    const answer = Array.isArray(entry) ? entry.shift() : entry;
    if (!answer) throw new Error(`unexpected request ${path}`);
    if ("fail" in answer) throw answer.fail;
    const empty = answer.status === 204 || answer.status === 304;
    return new Response(empty ? null : answer.body, { status: answer.status, statusText: answer.statusText });
  };
  return { fetch, sent };
}

const ok = (body: unknown): Answer => ({ status: 200, body: JSON.stringify(body) });
const failing = (status: number, body: unknown): Answer => ({ status, body: JSON.stringify(body) });
/** What Node's fetch rejects with when no answer came: a TypeError whose cause says why. */
const fetchFailed = (code: string): Answer => ({
  fail: new TypeError("fetch failed", { cause: Object.assign(new Error(code), { code }) }),
});

const client = (table: Record<string, Answer | Answer[]>, retries = 0) =>
  ApiClient.create({ baseUrl: "http://127.0.0.1:9", token: "cm_pat_x", fetch: answering(table).fetch, retries });

describe("ApiClient against a hostile server", () => {
  it("strips control and bidi characters from every string it accepts, keeping the letters", async () => {
    const api = await client({
      "/api/my/whoami": ok({
        user: { id: "u1", name: HOSTILE, email: `${HOSTILE}@example.test` },
        credential: { kind: "session", id: "s1", name: HOSTILE, expires_at: null },
      }),
      "/api/my/meshes": ok({
        meshes: [
          { id: "m1", name: HOSTILE, slug: HOSTILE, role: "owner", member_count: 1, created_at: WHEN, joined_at: WHEN },
        ],
      }),
      "/api/my/cli/sessions": ok({
        sessions: [
          {
            id: "s1",
            device_name: HOSTILE,
            device_os: HOSTILE,
            device_arch: HOSTILE,
            ip_address: HOSTILE,
            created_at: WHEN,
            last_used_at: null,
            expires_at: null,
            current: true,
          },
        ],
      }),
      "/api/my/cli/tokens": ok({
        tokens: [{ id: "t1", name: HOSTILE, created_at: WHEN, last_used_at: null, expires_at: null }],
      }),
    });
    const answers = [await api.whoami(), await api.listMeshes(), await api.listSessions(), await api.listTokens()];
    const marked = JSON.stringify(answers, (_key, value) =>
      typeof value === "string" && hasUnsafeCharacters(value) ? "UNSAFE" : value,
    );
    expect(marked).not.toContain("UNSAFE");
    expect(answers[0]).toMatchObject({ user: { name: SHOWN }, credential: { name: SHOWN } });
    expect(answers[1]).toMatchObject({ meshes: [{ name: SHOWN, slug: SHOWN }] });
    expect(answers[2]).toMatchObject({ sessions: [{ device_name: SHOWN, ip_address: SHOWN }] });
    expect(answers[3]).toMatchObject({ tokens: [{ name: SHOWN }] });
  });

  it("strips them from error messages, suggestions and status texts", async () => {
    const api = await client({
      "/api/my/meshes": failing(409, { error: "slug_taken", message: HOSTILE, suggestion: HOSTILE }),
      "/api/my/whoami": failing(401, { error: "token_revoked", message: HOSTILE }),
      // A status line carries bytes 0x80–0xFF (obs-text), so C1 controls such as CSI and OSC can come in it.
      "/api/my/cli/tokens": { status: 500, statusText: "\u009b2JInternal\u009d0;owned\u009c Error", body: "<html>" },
    });
    const failures = await Promise.all([
      api.createMesh({ name: "Platform team" }).catch((error: unknown) => error),
      api.whoami().catch((error: unknown) => error),
      api.listTokens().catch((error: unknown) => error),
    ]);
    for (const failure of failures) expect(failure).toBeInstanceOf(ClaudemeshError);
    const [taken, revoked, broken] = failures as ClaudemeshError[];
    expect(taken?.message).toBe(SHOWN);
    expect(taken?.suggestion).toBe(SHOWN);
    expect(revoked?.message).toBe(SHOWN);
    expect(revoked?.exitStatus).toBe(2);
    expect(broken?.message).toBe("500 2JInternal0;owned Error");
  });
});

describe("ApiClient polling a device code", () => {
  const poll = "/api/auth/cli/device-code/dc1";

  it("a poll too soon is a SlowDownError carrying the server's interval", async () => {
    const api = await client({
      [poll]: failing(429, { error: "slow_down", message: "Poll every 6.5 s.", interval: 6.5 }),
    });
    const error = await api.pollDeviceCode("dc1").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SlowDownError);
    expect(error).toMatchObject({ code: "slow_down", interval: 6.5, message: "Poll every 6.5 s." });
  });

  it("any other 429 stays a rate_limited ClaudemeshError", async () => {
    const api = await client({
      [poll]: failing(429, { error: "rate_limited", message: "Too many attempts." }),
    });
    const error = await api.pollDeviceCode("dc1").catch((caught: unknown) => caught);
    expect(error).not.toBeInstanceOf(SlowDownError);
    expect(error).toMatchObject({ code: "rate_limited" });
  });

  it("answers the poll's status", async () => {
    const api = await client({ [poll]: ok({ status: "pending" }) });
    expect(await api.pollDeviceCode("dc1")).toEqual({ status: "pending" });
  });
});

describe("ApiClient's send policy", () => {
  const busy = failing(503, { error: "server_error", message: "busy" });
  const tokens = ok({ tokens: [] });
  const revoked = { id: "t1", revoked_at: WHEN };

  it("sends the bearer token, and telemetry without it", async () => {
    const server = answering({ "/api/my/whoami": ok({}), "/api/telemetry": { status: 204, body: "" } });
    const api = await ApiClient.create({ baseUrl: "http://127.0.0.1:9", token: "cm_pat_x", fetch: server.fetch });
    await api.whoami().catch(() => {});
    await api.sendTelemetry({ install_id: "00000000-0000-4000-8000-000000000000", events: [] });
    expect(server.sent.map(({ method, path, headers }) => [method, path, headers.get("authorization")])).toEqual([
      ["GET", "/api/my/whoami", "Bearer cm_pat_x"],
      ["POST", "/api/telemetry", null],
    ]);
  });

  it("sends the caller's language as Accept-Language, and none when it has not been given", async () => {
    const server = answering({ "/api/my/whoami": ok({}) });
    const spanish = await ApiClient.create({ baseUrl: "http://127.0.0.1:9", language: "es", fetch: server.fetch });
    const unsaid = await ApiClient.create({ baseUrl: "http://127.0.0.1:9", fetch: server.fetch });
    await spanish.whoami().catch(() => {});
    await unsaid.whoami().catch(() => {});
    expect(server.sent.map(({ headers }) => headers.get("accept-language"))).toEqual(["es", null]);
  });

  it("sends a read or a delete again after a 502/503/504 or a network error, up to `retries` times", async () => {
    const server = answering({
      "/api/my/cli/tokens": [busy, fetchFailed("ECONNRESET"), tokens],
      "/api/my/cli/tokens/t1": [failing(504, {}), ok(revoked)],
    });
    const api = await ApiClient.create({ baseUrl: "http://127.0.0.1:9", fetch: server.fetch, retries: 2 });
    expect(await api.listTokens()).toEqual({ tokens: [] });
    expect(await api.revokeToken("t1")).toEqual(revoked);
    expect(server.sent.map(({ method }) => method)).toEqual(["GET", "GET", "GET", "DELETE", "DELETE"]);
  });

  it("gives up after `retries` with the last answer's error", async () => {
    const api = await client({ "/api/my/cli/tokens": [busy, busy, tokens] }, 1);
    await expect(api.listTokens()).rejects.toMatchObject({ code: "server_error", message: "busy" });
  });

  it.each([
    ["a POST after a 503", busy],
    ["a POST after a network error", fetchFailed("ECONNRESET")],
  ])("never sends %s again", async (_label, answer) => {
    const server = answering({ "/api/my/meshes": [answer, ok({})] });
    const api = await ApiClient.create({ baseUrl: "http://127.0.0.1:9", fetch: server.fetch, retries: 2 });
    await expect(api.createMesh({ name: "Platform team" })).rejects.toBeInstanceOf(ClaudemeshError);
    expect(server.sent).toHaveLength(1);
  });

  it.each([400, 401, 404, 429, 500])("never sends a read again after a %i", async (status) => {
    const server = answering({ "/api/my/cli/tokens": [failing(status, { error: "x", message: "no" }), tokens] });
    const api = await ApiClient.create({ baseUrl: "http://127.0.0.1:9", fetch: server.fetch, retries: 2 });
    await expect(api.listTokens()).rejects.toBeInstanceOf(ClaudemeshError);
    expect(server.sent).toHaveLength(1);
  });

  it.each([
    ["ECONNREFUSED", "network", /Cannot reach http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\)/, "checkConnection"],
    ["SELF_SIGNED_CERT_IN_CHAIN", "tls", /SELF_SIGNED_CERT_IN_CHAIN/, "trustProxyCa"],
  ])("a fetch that fails with %s is a %s error", async (cause, code, message, hintKey) => {
    const api = await client({ "/api/my/whoami": fetchFailed(cause) });
    const error = await api.whoami().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ClaudemeshError);
    expect(error).toMatchObject({ code, message: expect.stringMatching(message), hintKey });
  });

  it("an answer that is not JSON is bad_response", async () => {
    const api = await client({ "/api/my/whoami": { status: 200, body: "<html>hello</html>" } });
    await expect(api.whoami()).rejects.toMatchObject({ code: "bad_response", message: /not JSON/ });
  });

  it("an aborted call is cancelled (exit 130)", async () => {
    const controller = new AbortController();
    controller.abort();
    const api = await client({ "/api/my/whoami": ok({}) });
    await expect(api.whoami(controller.signal)).rejects.toMatchObject({ code: "cancelled", exitStatus: 130 });
  });
});
