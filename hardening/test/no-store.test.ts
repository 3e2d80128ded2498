// Answers that carry a token, a device or user code, or an invite secret must
// not be kept by a browser, a proxy or a CDN: every API answer and every page of
// the real server says `Cache-Control: no-store` (and `Pragma: no-cache` for
// HTTP/1.0 caches); only the content-hashed /assets may be cached.
import { createHash, randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, signUp } from "./support/browser-session.js";
import { DEVICE } from "./support/device-codes.js";
import { type ServerOnPostgres, startServerOnPostgres } from "./support/server-on-postgres.js";

const REDIRECT = "http://127.0.0.1:53682/callback";

describe("no answer carrying a secret may be cached", () => {
  let running: ServerOnPostgres;
  let url = "";
  let origin = "";
  /** Each answer checked, by what it is. */
  const answers: [what: string, response: Response][] = [];

  beforeAll(async () => {
    running = await startServerOnPostgres();
    url = running.url;
    origin = new URL(url).origin;
  });
  afterAll(() => running?.stop());

  async function seen(what: string, response: Promise<Response>): Promise<Response> {
    const answer = await response;
    answers.push([what, answer]);
    return answer;
  }
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(new URL(path, url), { headers, redirect: "manual" });
  const postForm = (path: string, fields: Record<string, string>, cookie: string) =>
    fetch(new URL(path, url), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin, cookie, accept: "text/html" },
      body: new URLSearchParams(fields).toString(),
      redirect: "manual",
    });

  it("says no-store on device codes, tokens, invites and the pages that show them; /assets stay cacheable", async () => {
    const cookie = await signUp(url, "Ada Lovelace", "ada@example.test");
    const page = { cookie, accept: "text/html" };
    await seen(
      "sign-in (Better Auth answers a session token)",
      postJson(url, "/api/auth/sign-in/email", {
        email: "ada@example.test",
        password: "correct horse battery",
      }),
    );
    await seen("get-session", get("/api/auth/get-session", { cookie }));

    // Device login: the code pair, the pending poll, the approval page, the poll that carries the token.
    const created = await seen("device-code creation", postJson(url, "/api/auth/cli/device-code", DEVICE));
    const code = (await created.clone().json()) as { device_code: string; user_code: string };
    await seen("pending poll", get(`/api/auth/cli/device-code/${code.device_code}`));
    await seen("/cli-auth?code= page", get(`/cli-auth?code=${code.user_code}`, page));
    await seen("user-code lookup", get(`/api/auth/cli/device-code/${code.user_code}`, { cookie }));
    await seen("approval", postJson(url, `/api/auth/cli/device-code/${code.user_code}/approve`, {}, { cookie }));
    await sleep(1600); // a little over the poll interval, so this poll is not told to slow down
    const claimed = await seen("poll with the token", get(`/api/auth/cli/device-code/${code.device_code}`));
    const { token } = (await claimed.clone().json()) as { token: string };
    expect(token).toMatch(/^cm_session_/);
    await seen("unknown device code", get(`/api/auth/cli/device-code/${"d".repeat(43)}`));

    // Loopback login: the approval page, the redirect carrying the code, the back-channel exchange.
    const verifier = randomBytes(32).toString("base64url");
    const query = {
      redirect_uri: REDIRECT,
      state: randomBytes(16).toString("hex"),
      code_challenge: createHash("sha256").update(verifier).digest("base64url"),
      code_challenge_method: "S256",
      ...DEVICE,
    };
    await seen("loopback approval page", get(`/cli-auth/authorize?${new URLSearchParams(query)}`, page));
    const redirect = await seen(
      "loopback redirect carrying the code",
      postForm("/cli-auth/authorize", { ...query, decision: "approve" }, cookie),
    );
    expect(redirect.status).toBe(303);
    const loopbackCode = new URL(redirect.headers.get("location") ?? "").searchParams.get("code") ?? "";
    const exchanged = await seen(
      "loopback token exchange",
      postJson(url, "/api/auth/cli/loopback/token", {
        code: loopbackCode,
        code_verifier: verifier,
        redirect_uri: REDIRECT,
      }),
    );
    expect(exchanged.status).toBe(200);

    // Personal access tokens, from the API and from the dashboard's form.
    const bearer = { authorization: `Bearer ${token}` };
    // Only a browser session may make one.
    expect(
      (await seen("PAT creation (API)", postJson(url, "/api/my/cli/tokens", { name: "ci" }, { cookie }))).status,
    ).toBe(201);
    await seen("PAT list", get("/api/my/cli/tokens", bearer));
    const posted = await seen(
      "PAT creation (dashboard form post)",
      postForm("/dashboard/settings/cli-tokens", { name: "page", expiry: "30" }, cookie),
    );
    expect(posted.status).toBe(303);
    const flash = posted.headers
      .getSetCookie()
      .map((line) => line.split(";")[0])
      .join("; ");
    const dashboard = await seen(
      "PAT creation (the page it redirects to, showing the token once)",
      get("/dashboard/settings/cli-tokens", { ...page, cookie: `${cookie}; ${flash}` }),
    );
    expect(await dashboard.clone().text()).toMatch(/cm_pat_/);
    await seen("whoami", get("/api/my/whoami", bearer));

    // Invites: the URL with the secret, its preview and acceptance, its page.
    const mesh = (await (await postJson(url, "/api/my/meshes", { name: "Cache Mesh" }, { cookie })).json()) as {
      id: string;
    };
    const invite = await seen("invite creation", postJson(url, `/api/my/meshes/${mesh.id}/invites`, {}, { cookie }));
    const secret = ((await invite.clone().json()) as { url: string }).url.split("/").pop() ?? "";
    const friend = await signUp(url, "Grace Hopper", "grace@example.test");
    await seen("invite page", get(`/invite/${secret}`, { cookie: friend, accept: "text/html" }));
    await seen("invite preview", get(`/api/invites/${secret}`, { cookie: friend }));
    await seen("invite acceptance", postJson(url, `/api/invites/${secret}/accept`, {}, { cookie: friend }));
    await seen("invite page after use", postForm(`/invite/${secret}`, {}, friend));
    await seen("unknown API route", get("/api/nothing-here", bearer));
    await seen("bad JSON", postJson(url, "/api/my/cli/tokens", { name: ["x"] }, bearer));

    const uncached = answers
      .filter(
        ([, response]) =>
          response.headers.get("cache-control") !== "no-store" || response.headers.get("pragma") !== "no-cache",
      )
      .map(
        ([what, response]) =>
          `${what} (${response.status}): ${response.headers.get("cache-control")}, pragma ${response.headers.get("pragma")}`,
      );
    expect(uncached).toEqual([]);
    expect(answers).toHaveLength(24);

    // The pages' stylesheet is content-hashed: caching it is the point.
    const html = await (await get("/login", { accept: "text/html" })).text();
    const stylesheet = /href="(\/assets\/[^"]+\.css[^"]*)"/.exec(html)?.[1] ?? "";
    const asset = await get(stylesheet);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("cache-control")).toContain("immutable");
    expect(asset.headers.get("pragma")).toBeNull();
  });
});
