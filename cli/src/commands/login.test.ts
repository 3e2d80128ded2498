import { stat } from "node:fs/promises";
import { join } from "node:path";
import { DeviceCodeResponse, DevicePollResponse, MeshList, mintToken, RevokedResponse, Whoami } from "@claudemesh/sdk";
import { describe, expect, it } from "vitest";
import { type CommandCase, runCase, SAVED } from "../testing/command-table.js";
import { ADA, type CommandResult, runCommand } from "../testing/fake-context.js";
import { fails, ok, type Stub } from "../testing/fake-transport.js";
import { deviceCodeAnswer, meshAnswer, whoamiAnswer } from "../testing/fixtures.js";
import { noKeychain } from "../testing/memory-keychain.js";

const PAT = mintToken("pat");
const NEW_SESSION = mintToken("session");
const POLL = "GET /api/auth/cli/device-code/device-secret";
const URL_WITH_CODE = "https://mesh.test/cli-auth?code=BCDF-GHJK";

const deviceCode = (overrides: Partial<DeviceCodeResponse> = {}): Stub => ({
  route: "POST /api/auth/cli/device-code",
  reply: ok(DeviceCodeResponse, deviceCodeAnswer(overrides)),
});
const pollOnce = (answer: DevicePollResponse): Stub => ({
  route: POLL,
  times: 1,
  reply: ok(DevicePollResponse, answer),
});
const approved = pollOnce({
  status: "approved",
  token: NEW_SESSION,
  user: ADA,
  expires_at: "2026-08-30T12:00:00.000Z",
});
const meshes: Stub = { route: "GET /api/my/meshes", reply: ok(MeshList, { meshes: [meshAnswer()] }) };
const whoami = (kind: Whoami["credential"]["kind"]): Stub => ({
  route: "GET /api/my/whoami",
  times: 1,
  reply: ok(Whoami, whoamiAnswer(kind)),
});

/** The saved login, read back through the command's own store (keychain or auth.json, wherever it went). */
async function savedLogin({ ctx }: CommandResult): Promise<Record<string, unknown> | null> {
  const saved = await ctx.store().load();
  return saved && { ...saved.record, token: saved.token, store: saved.store };
}

const interrupt = new AbortController();

const cases: CommandCase[] = [
  {
    name: "--with-token: checks the token with the server, saves it, syncs meshes",
    args: ["login", "--with-token"],
    stdin: `${PAT}\n`,
    stubs: [whoami("pat"), meshes],
    wantStatus: 0,
    stdoutIs: "",
    wantStderr: [
      '✔ Authenticated as Ada Lovelace (via PAT "ci-deploy")',
      "✔ Token saved to ",
      "✔ Synced 1 mesh: platform-team",
    ],
    absent: ["Tip:"],
    wantSent: [`GET /api/my/whoami ${PAT}`, `GET /api/my/meshes ${PAT}`],
    check: async (result) =>
      expect(await savedLogin(result)).toMatchObject({
        token: PAT,
        token_kind: "pat",
        source: "pat",
        store: "keychain",
      }),
  },
  {
    // The fallback itself: a machine without a keychain keeps the token in auth.json and says so.
    name: "--with-token without a keychain: the token goes to auth.json (0600), and the user is told",
    args: ["login", "--with-token"],
    stdin: `${PAT}\n`,
    stubs: [whoami("pat"), meshes],
    keychain: noKeychain,
    wantStatus: 0,
    wantStderr: [
      "! The OS keychain cannot be used here: its module, @github/keytar, is not installed. The token is kept in ",
      "auth.json (mode 0600) instead.",
      '✔ Authenticated as Ada Lovelace (via PAT "ci-deploy")',
      "✔ Token saved to ",
      "auth.json",
    ],
    check: async (result) => {
      expect(await savedLogin(result)).toMatchObject({ token: PAT, store: "file" });
      expect((await stat(join(result.configDir, "auth.json"))).mode & 0o777).toBe(0o600);
    },
  },
  {
    name: "--token: the same, with the tip to prefer --with-token",
    args: ["login", "--token", PAT],
    stubs: [whoami("pat"), meshes],
    wantStatus: 0,
    wantStderr: ["Tip: `--with-token` reads the token from stdin", "✔ Authenticated as Ada Lovelace"],
  },
  {
    name: "a malformed token: exit 1 before any request",
    args: ["login", "--token", "cm_pat_nope"],
    wantStatus: 1,
    wantStderr: ["Tokens look like cm_pat_… or cm_session_…"],
    wantSent: [],
    check: async (result) => expect(await savedLogin(result)).toBeNull(),
  },
  {
    name: "a token the server refuses: exit 2, nothing saved",
    args: ["login", "--with-token"],
    stdin: PAT,
    stubs: [{ route: "GET /api/my/whoami", reply: fails(401, "token_revoked", "This token was revoked.") }],
    wantStatus: 2,
    wantStderr: ["✘ This token was revoked."],
    check: async (result) => expect(await savedLogin(result)).toBeNull(),
  },
  {
    name: "already signed in: says so, exit 0, no new login",
    args: ["login"],
    savedLogin: "session",
    stubs: [whoami("session")],
    wantStatus: 0,
    wantStderr: ["✔ Already signed in to https://mesh.test as Ada Lovelace.", "claudemesh login --force"],
    wantSent: [`GET /api/my/whoami ${SAVED}`],
  },
  {
    name: "device code, --no-browser: URL and code, a poll interval from the clock, the token saved",
    args: ["login", "--no-browser"],
    stubs: [deviceCode(), pollOnce({ status: "pending" }), approved, meshes],
    wantStatus: 0,
    wantStderr: [
      "Not opening a browser (--no-browser).",
      URL_WITH_CODE,
      "Enter this code:",
      "BCDF-GHJK",
      "Waiting for confirmation…",
      "✔ Authenticated as Ada Lovelace",
      "✔ Token saved to ",
      // The seed's last line, after the meshes.
      "Run claudemesh --help to get started.",
    ],
    wantSent: [
      "POST /api/auth/cli/device-code",
      "GET /api/auth/cli/device-code/device-secret?wait=25",
      "GET /api/auth/cli/device-code/device-secret?wait=25",
      `GET /api/my/meshes ${NEW_SESSION}`,
    ],
    check: async (result) => {
      expect(result.stderr, "no spinner without a terminal").not.toContain("\x1b[");
      expect(result.slept).toEqual([1500]);
      expect(result.opened).toEqual([]);
      expect(await savedLogin(result)).toMatchObject({
        token: NEW_SESSION,
        token_kind: "session",
        source: "device-code",
      });
    },
  },
  {
    name: "device code at a terminal: the browser opens on the code's page",
    args: ["login"],
    tty: true,
    stubs: [deviceCode(), approved, meshes],
    wantStatus: 0,
    wantStderr: ["Opening browser for authentication…", "If your browser didn't open, visit:", URL_WITH_CODE],
    check: ({ opened, stderr }) => {
      expect(opened).toEqual([URL_WITH_CODE]);
      expect(stderr, "a spinner, cleared when done").toContain("Waiting for confirmation… ⠋");
      expect(stderr).toContain("\r\x1b[2K");
    },
  },
  {
    name: "no browser here: says why, and shows the URL",
    args: ["login"],
    browserUnavailable: "this is an SSH session",
    stubs: [deviceCode(), approved, meshes],
    wantStatus: 0,
    wantStderr: ["Not opening a browser (this is an SSH session).", "Visit:", URL_WITH_CODE],
  },
  {
    name: "denied in the browser: exit 1, nothing saved",
    args: ["login", "--no-browser"],
    stubs: [deviceCode(), pollOnce({ status: "denied" })],
    wantStatus: 1,
    wantStderr: ["✘ Login denied in the browser.", "Run `claudemesh login` to try again."],
    check: async (result) => expect(await savedLogin(result)).toBeNull(),
  },
  {
    name: "the code expires while waiting (by the clock): exit 1",
    args: ["login", "--no-browser"],
    stubs: [
      deviceCode({ expires_at: "2026-06-01T12:00:02.000Z" }),
      { route: POLL, reply: ok(DevicePollResponse, { status: "pending" }) },
    ],
    wantStatus: 1,
    wantStderr: ["✘ Login timed out.", "Run `claudemesh login` to retry."],
    check: ({ slept }) => expect(slept).toEqual([1500, 1500]),
  },
  {
    name: "Ctrl-C while waiting: exit 130, nothing saved",
    args: ["login", "--no-browser"],
    interrupt,
    stubs: [
      deviceCode(),
      {
        route: POLL,
        reply: () => {
          interrupt.abort();
          return ok(DevicePollResponse, { status: "pending" });
        },
      },
    ],
    wantStatus: 130,
    wantStderr: ["✘ Cancelled."],
    check: async (result) => expect(await savedLogin(result)).toBeNull(),
  },
  {
    name: "the device-code request rate limited: exit 1",
    args: ["login", "--no-browser"],
    stubs: [{ route: "POST /api/auth/cli/device-code", reply: fails(429, "rate_limited", "Too many logins.") }],
    wantStatus: 1,
    wantStderr: ["✘ Too many logins.", "Wait a while, then try again."],
  },
  {
    name: "--force over a working session: signs in again, then revokes the replaced one",
    args: ["login", "--force", "--no-browser"],
    savedLogin: "session",
    stubs: [
      whoami("session"),
      deviceCode(),
      approved,
      meshes,
      {
        route: "DELETE /api/my/cli/sessions/current",
        reply: ok(RevokedResponse, { id: "sess-old", revoked_at: "2026-06-01T12:00:00.000Z" }),
      },
    ],
    wantStatus: 0,
    wantStderr: ["Replacing existing session for Ada Lovelace.", "✔ Authenticated as Ada Lovelace"],
    wantSent: [
      `GET /api/my/whoami ${SAVED}`,
      "POST /api/auth/cli/device-code",
      "GET /api/auth/cli/device-code/device-secret?wait=25",
      // Kept (saved, the replaced session revoked) before the meshes are synced.
      `DELETE /api/my/cli/sessions/current ${SAVED}`,
      `GET /api/my/meshes ${NEW_SESSION}`,
    ],
  },
  {
    name: "a saved login the server no longer takes: says so and signs in again",
    args: ["login", "--no-browser"],
    savedLogin: "session",
    stubs: [
      { route: "GET /api/my/whoami", reply: fails(401, "token_expired", "Expired.") },
      deviceCode(),
      approved,
      meshes,
    ],
    wantStatus: 0,
    wantStderr: ["! The saved credential no longer works; signing in again.", "✔ Authenticated as Ada Lovelace"],
  },
  {
    name: "signed in, but the mesh sync fails: still exit 0, with a warning",
    args: ["login", "--with-token"],
    stdin: PAT,
    stubs: [whoami("pat"), { route: "GET /api/my/meshes", reply: fails(403, "forbidden", "No.") }],
    wantStatus: 0,
    wantStderr: ["✔ Token saved to ", "! Signed in, but your meshes could not be synced (No); run `claudemesh sync`."],
    check: async ({ configDir }) => expect((await stat(join(configDir, "auth.json"))).mode & 0o777).toBe(0o600),
  },
];

const deferredCases: CommandCase[] = [
  {
    name: "--no-wait --json: the code and URLs to show, never the device code",
    args: ["login", "--no-wait", "--json"],
    stubs: [deviceCode()],
    wantStatus: 0,
    absent: ["device-secret"],
    check: ({ stdout }) =>
      expect(JSON.parse(stdout)).toEqual({
        user_code: "BCDF-GHJK",
        verification_url: "https://mesh.test/cli-auth",
        verification_url_complete: URL_WITH_CODE,
        expires_at: "2026-06-01T12:15:00.000Z",
        interval: 1.5,
      }),
  },
  {
    name: "--no-wait for people: URL and code on stdout, minutes left by the clock",
    args: ["login", "--no-wait"],
    stubs: [deviceCode()],
    wantStatus: 0,
    stdoutIs: `To sign in, open this URL in a browser and approve the code:\n  ${URL_WITH_CODE}\nCode: BCDF-GHJK (valid for 15 minutes)\n`,
    wantStderr: ["Then run `claudemesh login --continue` to finish"],
  },
  {
    name: "--no-wait with --web: exit 1, nothing sent",
    args: ["login", "--no-wait", "--web"],
    wantStatus: 1,
    wantStderr: ["✘ --no-wait is for the device code; it cannot go with --web."],
    wantSent: [],
  },
  {
    name: "--continue with nothing started: exit 1 saying what to run",
    args: ["login", "--continue"],
    wantStatus: 1,
    wantStderr: [
      "✘ No login is waiting to be continued for https://mesh.test.",
      "Run `claudemesh login --no-wait` first.",
    ],
    wantSent: [],
  },
];

describe("claudemesh login", () => {
  it.each(cases)("$name", runCase);
  it.each(deferredCases)("$name", runCase);

  it("--no-wait, then --continue --no-wait while pending (75), then --continue saves the token", async () => {
    const started = await runCommand(["login", "--no-wait"], { stubs: [deviceCode()] });
    expect(started.status).toBe(0);
    const { configDir } = started;

    const pending = await runCommand(["login", "--continue", "--no-wait", "--json"], {
      configDir,
      stubs: [pollOnce({ status: "pending" })],
    });
    expect(pending.status).toBe(75);
    expect(JSON.parse(pending.stdout)).toMatchObject({ status: "pending", user_code: "BCDF-GHJK", retry_after: 2 });

    const finished = await runCommand(["login", "--continue"], { configDir, stubs: [approved, meshes] });
    expect(finished.status, finished.stderr).toBe(0);
    expect(finished.stderr).toContain("✔ Authenticated as Ada Lovelace");
    expect(finished.transport.sent()).toEqual([
      "GET /api/auth/cli/device-code/device-secret?wait=25",
      `GET /api/my/meshes ${NEW_SESSION}`,
    ]);
    expect(await savedLogin(finished)).toMatchObject({ token: NEW_SESSION, source: "device-code" });
  });
});
