import { describe, expect, it } from "vitest";
import { hasUnsafeCharacters } from "../contracts/neutral-text.js";
import { ClaudemeshError, SlowDownError } from "../errors.js";
import { ApiClient } from "./client.js";
import type { Transport, TransportResponse } from "./transport.js";

// What a hostile server puts in names: a window title (OSC 0), a clipboard write
// (OSC 52), a screen clear (CSI), a carriage return over a fake line, a C1 CSI and
// a right-to-left override.
const HOSTILE = "\u001b]0;owned\u0007Ada\u001b]52;c;cm0gLXJm\u0007\u001b[2J\r✔ Signed out\u009b31m\u202eevil";
const SHOWN = "]0;ownedAda]52;c;cm0gLXJm[2J✔ Signed out31mevil";
const WHEN = "2026-01-01T00:00:00.000Z";

/** A server that answers every path from a table, the way a hostile one would. */
function answering(table: Record<string, TransportResponse>): Transport {
  return async ({ url }) => {
    const answer = table[url.pathname];
    if (!answer) throw new Error(`unexpected request ${url.pathname}`);
    return answer;
  };
}

const ok = (body: unknown): TransportResponse => ({
  status: 200,
  statusText: "OK",
  headers: {},
  body: JSON.stringify(body),
});

const client = (table: Record<string, TransportResponse>) =>
  ApiClient.create({ baseUrl: "http://127.0.0.1:9", token: "cm_pat_x", transport: answering(table), retries: 0 });

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
      "/api/my/meshes": {
        status: 409,
        statusText: "",
        headers: {},
        body: JSON.stringify({ error: "slug_taken", message: HOSTILE, suggestion: HOSTILE }),
      },
      "/api/my/whoami": {
        status: 401,
        statusText: "",
        headers: {},
        body: JSON.stringify({ error: "token_revoked", message: HOSTILE }),
      },
      "/api/my/cli/tokens": { status: 500, statusText: HOSTILE, headers: {}, body: "<html>" },
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
    expect(broken?.message).toBe(`500 ${SHOWN}`);
  });
});

describe("ApiClient polling a device code", () => {
  const poll = "/api/auth/cli/device-code/dc1";

  it("a poll too soon is a SlowDownError carrying the server's interval", async () => {
    const api = await client({
      [poll]: {
        status: 429,
        statusText: "Too Many Requests",
        headers: {},
        body: JSON.stringify({ error: "slow_down", message: "Poll every 6.5 s.", interval: 6.5 }),
      },
    });
    const error = await api.pollDeviceCode("dc1").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SlowDownError);
    expect(error).toMatchObject({ code: "slow_down", interval: 6.5, message: "Poll every 6.5 s." });
  });

  it("any other 429 stays a rate_limited ClaudemeshError", async () => {
    const api = await client({
      [poll]: {
        status: 429,
        statusText: "Too Many Requests",
        headers: {},
        body: JSON.stringify({ error: "rate_limited", message: "Too many attempts." }),
      },
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
