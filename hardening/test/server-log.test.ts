// What the server writes to its log while the database is down: one line per
// failed request, naming the route's pattern, never the path it was asked for.
// Paths carry device codes, user codes and invite secrets, and a path (or a
// header) is text an attacker chooses: a CR LF in it must not start a line.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, signUp } from "./support/browser-session.js";
import { DEVICE } from "./support/device-codes.js";
import { type ServerOnPostgres, startServerOnPostgres } from "./support/server-on-postgres.js";

const FORGED = "[claudemesh] forged";
const FORGED_PATH = `%0d%0a${encodeURIComponent(FORGED)}%0d%0a`;

describe("the server's log while the database is down", () => {
  let running: ServerOnPostgres;
  let url = "";
  let cookie = "";
  let pat = "";
  let deviceCode = "";
  let userCode = "";
  let inviteSecret = "";

  beforeAll(async () => {
    running = await startServerOnPostgres();
    url = running.url;
    cookie = await signUp(url, "Ada Lovelace", "ada@example.test");
    const created = await postJson(url, "/api/my/cli/tokens", { name: "log-test" }, { cookie });
    pat = ((await created.json()) as { token: string }).token;
    const code = (await (await postJson(url, "/api/auth/cli/device-code", DEVICE)).json()) as {
      device_code: string;
      user_code: string;
    };
    deviceCode = code.device_code;
    userCode = code.user_code;
    const mesh = (await (await postJson(url, "/api/my/meshes", { name: "Log Mesh" }, { cookie })).json()) as {
      id: string;
    };
    const invite = await postJson(url, `/api/my/meshes/${mesh.id}/invites`, {}, { cookie });
    expect(invite.status).toBe(201);
    inviteSecret = new URL(((await invite.json()) as { url: string }).url).pathname.split("/").pop() ?? "";
    expect(inviteSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
  afterAll(() => running?.stop());

  const send = (method: "GET" | "POST", path: string, headers: Record<string, string> = {}) =>
    fetch(new URL(path, url), {
      method,
      headers: { origin: new URL(url).origin, ...headers },
      signal: AbortSignal.timeout(5_000),
    });

  it("logs route patterns, not the codes and secrets in paths, and no line an attacker wrote", async () => {
    await running.cluster.crash();
    const bearer = { authorization: `Bearer ${pat}` };
    const page = { cookie, accept: "text/html" };
    const hostileHeaders = {
      "user-agent": FORGED_PATH,
      "x-forwarded-for": FORGED_PATH,
      referer: `${url}/${FORGED_PATH}`,
    };
    const requests: [method: "GET" | "POST", path: string, headers: Record<string, string>][] = [
      ["GET", `/api/auth/cli/device-code/${deviceCode}`, {}],
      ["GET", `/api/auth/cli/device-code/${deviceCode}?wait=2`, {}],
      ["GET", `/api/auth/cli/device-code/${userCode}`, { cookie }],
      ["POST", `/api/auth/cli/device-code/${userCode}/approve`, { cookie }],
      ["GET", `/api/invites/${inviteSecret}`, bearer],
      ["POST", `/api/invites/${inviteSecret}/accept`, bearer],
      ["GET", `/invite/${inviteSecret}`, page],
      ["POST", `/invite/${inviteSecret}`, page],
      ["GET", `/cli-auth?code=${userCode}`, page],
      ["GET", `/api/invites/${FORGED_PATH}`, { ...bearer, ...hostileHeaders }],
      ["GET", `/invite/${FORGED_PATH}`, { ...page, ...hostileHeaders }],
      ["GET", `/api/my/${FORGED_PATH}`, { ...bearer, ...hostileHeaders }],
    ];
    for (const [method, path, headers] of requests) {
      const response = await send(method, path, headers);
      expect(response.status, `${method} ${path}`).toBe(503);
    }

    const output = running.server.output();
    // The outage was logged, one line per request, by route pattern.
    expect(output).toContain("GET /api/auth/cli/device-code/:code: database unavailable (");
    expect(output).toContain("POST /api/auth/cli/device-code/:code/approve: database unavailable (");
    expect(output).toContain("GET /api/invites/*: database unavailable (");
    expect(output).toContain("GET /invite/*: database unavailable (");
    const secrets = { deviceCode, userCode, userCodeBare: userCode.replace("-", ""), inviteSecret, pat };
    for (const [name, secret] of Object.entries(secrets)) expect(output, name).not.toContain(secret);
    const lines = output.split(/\r\n|\r|\n/);
    expect(lines.filter((line) => line.includes("forged") && !line.startsWith("[claudemesh] GET "))).toEqual([]);
    expect(lines.filter((line) => line.startsWith(FORGED))).toEqual([]);
  });
});
