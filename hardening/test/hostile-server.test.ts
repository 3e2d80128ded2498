// A server that is not ours answers the CLI with names full of terminal escape
// sequences (window title, clipboard write, screen clear), carriage returns over
// fake "✔" lines and bidi overrides. The built CLI, spawned without a terminal,
// must print the names' letters and none of those characters, in human output and
// in --json alike.

import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mintToken } from "@claudemesh/sdk/token";
import { runCli } from "@claudemesh/test-support/run-cli";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { forbiddenIn, hostile } from "./support/hostile-text.js";

const WHEN = "2026-01-01T00:00:00.000Z";
const USER = { id: "u1", name: hostile("Ada Lovelace"), email: "ada\u202e@example.\u2066test\r" };
const TOKEN_SUMMARY = { id: "t1", name: hostile("ci deploy"), created_at: WHEN, last_used_at: WHEN, expires_at: null };

/** The hostile server's answers, by method and path (the paths the SDK's ApiClient calls). */
const ANSWERS: Record<string, { status: number; body: unknown }> = {
  "GET /api/my/whoami": {
    status: 200,
    body: { user: USER, credential: { kind: "pat", id: "t1", name: hostile("ci deploy"), expires_at: null } },
  },
  "GET /api/my/meshes": {
    status: 200,
    body: {
      meshes: [
        {
          id: "m1",
          name: hostile("Platform team"),
          slug: "\u202eplatform-team\u2066\r",
          role: "owner",
          member_count: 3,
          created_at: WHEN,
          joined_at: WHEN,
        },
      ],
    },
  },
  "GET /api/my/cli/sessions": {
    status: 200,
    body: {
      sessions: [
        {
          id: "s1",
          device_name: hostile("ada-laptop"),
          device_os: hostile("linux"),
          device_arch: "x64\u202e",
          ip_address: "10.0.0.1\u001b[2J",
          created_at: WHEN,
          last_used_at: WHEN,
          expires_at: null,
          current: true,
        },
      ],
    },
  },
  "GET /api/my/cli/tokens": { status: 200, body: { tokens: [TOKEN_SUMMARY] } },
  // A device code whose printable parts carry escapes: `login --no-wait` prints them and keeps them.
  "POST /api/auth/cli/device-code": {
    status: 200,
    body: {
      device_code: "d".repeat(43),
      user_code: hostile("BCDF-GHJK"),
      expires_at: "2099-01-01T00:00:00.000Z",
      verification_url: `http://127.0.0.1/cli-auth${hostile("x")}`,
      verification_url_complete: `http://127.0.0.1/cli-auth?code=${hostile("BCDF-GHJK")}`,
      interval: 1.5,
    },
  },
  "DELETE /api/my/cli/sessions/s9": {
    status: 404,
    body: { error: "not_found", message: hostile("No session s9 here") },
  },
};

let server: Server;
let apiUrl = "";
const seen: string[] = [];
/** What `POST /api/auth/cli/device-code` sends as the page to open, when a test sets it. */
let approvalPage: ((apiUrl: string) => string) | undefined;
beforeAll(async () => {
  server = createServer((req, res) => {
    const key = `${req.method} ${new URL(req.url ?? "/", "http://x").pathname}`;
    seen.push(key);
    let answer = ANSWERS[key] ?? { status: 404, body: { error: "not_found", message: `No route for ${key}` } };
    if (approvalPage && key === "POST /api/auth/cli/device-code") {
      const body = {
        ...(answer.body as object),
        user_code: "BCDF-GHJK",
        verification_url_complete: approvalPage(apiUrl),
      };
      answer = { status: 200, body };
    }
    // Every login these tests start ends at the first poll, so none waits on the browser.
    if (key === `GET /api/auth/cli/device-code/${"d".repeat(43)}`) answer = { status: 200, body: { status: "denied" } };
    res.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

let configDir = "";
let env: Record<string, string> = {};
beforeEach(async () => {
  configDir = await mkdtemp(join(tmpdir(), "claudemesh-hostile-"));
  // A login saved from this server earlier, its user name as hostile as the rest.
  const token = mintToken("pat");
  const authFile = {
    version: 1,
    token,
    token_store: "file",
    token_kind: "pat",
    api_url: apiUrl,
    user: USER,
    created_at: WHEN,
    expires_at: null,
    source: "pat",
  };
  await writeFile(join(configDir, "auth.json"), JSON.stringify(authFile), { mode: 0o600 });
  env = {
    CLAUDEMESH_API_URL: apiUrl,
    CLAUDEMESH_CONFIG_DIR: configDir,
    DO_NOT_TRACK: "1",
    NO_COLOR: "1",
  };
  seen.length = 0;
  approvalPage = undefined;
});
afterEach(() => rm(configDir, { recursive: true, force: true }));

/** Every string in a --json answer, as a consumer that parses it would get them. */
function jsonStrings(stdout: string): string {
  const strings: string[] = [];
  JSON.parse(stdout, (_key, value: unknown) => {
    if (typeof value === "string") strings.push(value);
    return value;
  });
  return strings.join("\n");
}

describe("the CLI against a hostile server", () => {
  it.each([
    { command: "whoami", request: "GET /api/my/whoami", shows: ["Ada Lovelace", "ada@example.test", "ci deploy"] },
    {
      command: "whoami --sessions",
      request: "GET /api/my/cli/sessions",
      shows: ["Ada Lovelace", "ada-laptop", "linux", "x64"],
    },
    { command: "auth status", request: "GET /api/my/whoami", shows: ["Ada Lovelace", "ada@example.test"] },
    { command: "list", request: "GET /api/my/meshes", shows: ["platform-team", "Platform team"] },
    { command: "sync", request: "GET /api/my/meshes", shows: ["Synced 1 mesh: platform-team"] },
    { command: "sessions list", request: "GET /api/my/cli/sessions", shows: ["ada-laptop", "linux", "s1"] },
    { command: "tokens list", request: "GET /api/my/cli/tokens", shows: ["ci deploy", "t1"] },
  ])(
    "`claudemesh $command` prints the names' letters and none of their escapes",
    async ({ command, request, shows }) => {
      const result = await runCli(command.split(" "), env);
      expect(seen).toContain(request);
      expect({ code: result.code, stderr: forbiddenIn(result.stderr) }).toEqual({ code: 0, stderr: [] });
      expect(forbiddenIn(result.stdout)).toEqual([]);
      for (const text of shows) expect(result.stdout + result.stderr).toContain(text);
    },
  );

  it.each([
    { command: "whoami --json", shows: ["Ada Lovelace", "ada@example.test", "ci deploy"] },
    { command: "whoami --json --sessions", shows: ["Ada Lovelace", "ada@example.test", "ada-laptop"] },
    { command: "list --json", shows: ["platform-team", "Platform team"] },
    { command: "sessions list --json", shows: ["ada-laptop", "10.0.0.1"] },
    { command: "tokens list --json", shows: ["ci deploy"] },
  ])("`claudemesh $command` gives scripts names without escapes, even once parsed", async ({ command, shows }) => {
    const result = await runCli(command.split(" "), env);
    expect({ code: result.code, stderr: forbiddenIn(result.stderr) }).toEqual({ code: 0, stderr: [] });
    const strings = jsonStrings(result.stdout);
    expect({ raw: forbiddenIn(result.stdout), parsed: forbiddenIn(strings) }).toEqual({ raw: [], parsed: [] });
    for (const text of shows) expect(strings).toContain(text);
  });

  it("prints the server's error message without its escapes", async () => {
    const result = await runCli(["sessions", "revoke", "s9"], env);
    expect(seen).toContain("DELETE /api/my/cli/sessions/s9");
    expect(result.code).toBe(1);
    expect(forbiddenIn(result.stdout + result.stderr)).toEqual([]);
    expect(result.stderr).toContain("No session s9 here");
  });

  it.each(["login --no-wait --force", "login --no-wait --force --json"])(
    "`claudemesh %s` prints the code and its URL without escapes",
    async (command) => {
      const args = command.split(" ");
      const result = await runCli(args, env);
      expect(seen).toContain("POST /api/auth/cli/device-code");
      expect({ code: result.code, output: forbiddenIn(result.stdout + result.stderr) }).toEqual({
        code: 0,
        output: [],
      });
      if (args.includes("--json")) expect(forbiddenIn(jsonStrings(result.stdout))).toEqual([]);
      expect(result.stdout).toContain("BCDF-GHJK");
    },
  );

  it("signing in with a token prints the user and the synced meshes without escapes", async () => {
    const result = await runCli(["login", "--with-token"], env, mintToken("pat"));
    expect(result.code).toBe(0);
    expect(forbiddenIn(result.stdout + result.stderr)).toEqual([]);
    expect(result.stderr).toContain("Authenticated as ");
    expect(result.stderr).toContain("Ada Lovelace");
    expect(result.stderr).toContain("Synced 1 mesh: platform-team");
  });
});

/**
 * A stand-in `xdg-open` on PATH that appends the arguments it was started with, as JSON, to a
 * log; given the loopback flow's authorize page, it also answers the callback with a denial, as
 * a person clicking "Deny" would, so the login ends.
 */
async function fakeOpener(): Promise<{ path: string; calls(): Promise<string[][]> }> {
  const dir = join(configDir, "bin");
  const log = join(configDir, "opened.jsonl");
  await writeFile(log, "");
  await mkdir(dir);
  const script = join(dir, "xdg-open");
  await writeFile(
    script,
    `#!${process.execPath}
const args = process.argv.slice(2);
require("node:fs").appendFileSync(${JSON.stringify(log)}, JSON.stringify(args) + "\\n");
const url = new URL(args[0]);
if (url.pathname === "/cli-auth/authorize") {
  const back = new URL(url.searchParams.get("redirect_uri"));
  back.search = new URLSearchParams({ error: "access_denied", state: url.searchParams.get("state") }).toString();
  fetch(back).catch(() => {});
}
`,
  );
  await chmod(script, 0o755);
  return {
    path: `${dir}:${process.env.PATH ?? "/usr/bin:/bin"}`,
    calls: async () =>
      (await readFile(log, "utf8"))
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as string[]),
  };
}

describe("the CLI's browser opener against a hostile server", () => {
  it.each([
    { page: () => "http://x/|calc.exe", printed: "http://x/|calc.exe", says: "leads away from" },
    { page: () => "file:///etc/passwd", printed: "file:///etc/passwd", says: "is not a web page" },
    { page: () => "javascript:alert(document.cookie)", printed: "javascript:alert(", says: "is not a web page" },
    {
      page: () => "https://evil.example/cli-auth?code=BCDF-GHJK",
      printed: "https://evil.example/",
      says: "leads away",
    },
    { page: (api: string) => `${api}/cli-auth?code=%PATH%`, printed: "code=%PATH%", says: "not written as a web" },
    { page: (api: string) => `${api}/cli-auth?code="&calc.exe"`, printed: 'code="&calc.exe"', says: "not written" },
  ])("`login` opens nothing for $printed and prints it for the person to judge", async ({ page, printed, says }) => {
    approvalPage = page;
    const opener = await fakeOpener();
    const result = await runCli(["login", "--force"], { ...env, PATH: opener.path, DISPLAY: ":0" });
    expect(seen).toContain("POST /api/auth/cli/device-code");
    expect(result.code).toBe(1); // the server denied it at the first poll
    expect(await opener.calls()).toEqual([]);
    expect(result.stdout + result.stderr).toContain(`Not opening a browser (the link`);
    expect(result.stdout + result.stderr).toContain(says);
    expect(result.stdout + result.stderr).toContain(`open it yourself only if you trust it`);
    expect(result.stdout + result.stderr).toContain(printed);
    expect(forbiddenIn(result.stdout + result.stderr)).toEqual([]);
  });

  it("says so in Spanish", async () => {
    approvalPage = () => "http://x/|calc.exe";
    const opener = await fakeOpener();
    const result = await runCli(["login", "--force", "--lang", "es"], { ...env, PATH: opener.path, DISPLAY: ":0" });
    expect(await opener.calls()).toEqual([]);
    expect(result.stdout + result.stderr).toContain(`el enlace lleva fuera de ${apiUrl}`);
    expect(result.stdout + result.stderr).toContain("http://x/|calc.exe");
  });

  it.each([
    {
      page: (api: string) => `${api}/cli-auth?code=BCDF-GHJK`,
      opens: (api: string) => `${api}/cli-auth?code=BCDF-GHJK`,
    },
    // The SDK drops control characters from whatever the server sends, before the opener sees it.
    {
      page: (api: string) => `${api}/cli-auth?code=\u001b]0;pwned\u0007BCDF\n-GHJK\u001b[2J`,
      opens: (api: string) => `${api}/cli-auth?code=]0;pwnedBCDF-GHJK[2J`,
    },
  ])("`login` gives the opener a page of the server in use as its one argument", async ({ page, opens }) => {
    approvalPage = page;
    const opener = await fakeOpener();
    const result = await runCli(["login", "--force"], { ...env, PATH: opener.path, DISPLAY: ":0" });
    expect(result.code).toBe(1);
    expect(await opener.calls()).toEqual([[opens(apiUrl)]]);
    expect(forbiddenIn(result.stdout + result.stderr)).toEqual([]);
  });

  it("`login --web` gives the opener its own authorize page of the server in use, & and all, as one argument", async () => {
    const opener = await fakeOpener();
    const result = await runCli(["login", "--web", "--force"], { ...env, PATH: opener.path, DISPLAY: ":0" });
    expect(result.code).toBe(1); // denied by the stand-in browser
    const calls = await opener.calls();
    expect(calls).toHaveLength(1);
    const [args = []] = calls;
    expect(args).toHaveLength(1);
    const opened = new URL(args[0] ?? "");
    expect(opened.origin).toBe(apiUrl);
    expect(opened.pathname).toBe("/cli-auth/authorize");
    expect(args[0]).toContain("&");
  });
});
