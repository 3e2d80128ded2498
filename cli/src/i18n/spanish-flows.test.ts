import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AcceptedInvite,
  CreatedInvite,
  CreatedToken,
  DeviceCodeResponse,
  DevicePollResponse,
  Mesh,
  MeshList,
  mintToken,
  RevokedResponse,
  SessionList,
  TokenList,
  Whoami,
} from "@claudemesh/sdk";
import { describe, expect, it, onTestFinished } from "vitest";
import { englishLeft } from "../testing/english-left.js";
import { ADA, type RunOptions, runCommand } from "../testing/fake-context.js";
import { ok, type Stub } from "../testing/fake-transport.js";
import {
  deviceCodeAnswer,
  inviteAnswer,
  joinedMesh,
  meshAnswer,
  sessionAnswer,
  tokenAnswer,
  whoamiAnswer,
} from "../testing/fixtures.js";
import { noKeychain } from "../testing/memory-keychain.js";
import { standInClaude } from "../testing/stand-in-claude.js";

// Every main flow, run in English and in Spanish with the same answers: the Spanish
// run must say nothing the English run said in words, and no common English word.

const PAT = mintToken("pat");
const SECRET = "s".repeat(43);
const INVITE_LINK = `https://mesh.test/invite/${SECRET}`;
const PLATFORM = meshAnswer();

const whoami: Stub = { route: "GET /api/my/whoami", reply: ok(Whoami, whoamiAnswer()) };
const patWhoami: Stub = { route: "GET /api/my/whoami", reply: ok(Whoami, whoamiAnswer("pat")) };
const meshes: Stub = { route: "GET /api/my/meshes", reply: ok(MeshList, { meshes: [PLATFORM] }) };
const approved: Stub = {
  route: "GET /api/auth/cli/device-code/device-secret",
  reply: ok(DevicePollResponse, {
    status: "approved",
    token: mintToken("session"),
    user: ADA,
    expires_at: "2026-08-30T12:00:00.000Z",
  }),
};
const deviceCode: Stub = {
  route: "POST /api/auth/cli/device-code",
  reply: ok(DeviceCodeResponse, deviceCodeAnswer()),
};

/** A config folder of its own, removed after the test. */
async function configDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "claudemesh-spanish-"));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A login kept in auth.json (no keychain here), as a first run leaves it. */
async function loginInAuthFile(): Promise<RunOptions> {
  const first = await runCommand(["login", "--with-token"], {
    stdin: `${PAT}\n`,
    stubs: [patWhoami, meshes],
    keychain: noKeychain,
  });
  expect(first.status, first.stderr).toBe(0);
  return { configDir: first.configDir, keychain: noKeychain };
}

interface Flow {
  name: string;
  args: string[];
  /** The run's options; a function when each run needs its own files. */
  options: RunOptions | (() => Promise<RunOptions>);
}

const FLOWS: Flow[] = [
  {
    name: "login with a device code, at a terminal",
    args: ["login"],
    options: { tty: true, stubs: [deviceCode, approved, meshes] },
  },
  {
    name: "login with a device code, no browser",
    args: ["login"],
    options: { browserUnavailable: "ssh", stubs: [deviceCode, approved, meshes] },
  },
  {
    name: "whoami --sessions",
    args: ["whoami", "--sessions"],
    options: {
      savedLogin: "session",
      stubs: [whoami, { route: "GET /api/my/cli/sessions", reply: ok(SessionList, { sessions: [sessionAnswer()] }) }],
    },
  },
  { name: "auth status", args: ["auth", "status"], options: { savedLogin: "session", stubs: [whoami] } },
  {
    name: "sessions list",
    args: ["sessions", "list"],
    options: {
      savedLogin: "session",
      stubs: [
        {
          route: "GET /api/my/cli/sessions",
          reply: ok(SessionList, {
            sessions: [sessionAnswer(), sessionAnswer({ id: "sess-2", current: false, last_used_at: null })],
          }),
        },
      ],
    },
  },
  {
    name: "tokens list",
    args: ["tokens", "list"],
    options: {
      savedLogin: "session",
      stubs: [
        {
          route: "GET /api/my/cli/tokens",
          reply: ok(TokenList, {
            tokens: [
              tokenAnswer(),
              tokenAnswer({ id: "tok-2", name: "backup", expires_at: null, last_used_at: "2026-05-30T09:00:00.000Z" }),
            ],
          }),
        },
      ],
    },
  },
  {
    name: "tokens create",
    args: ["tokens", "create", "--name", "ci-deploy"],
    options: {
      savedLogin: "session",
      stubs: [
        {
          route: "POST /api/my/cli/tokens",
          reply: ok(CreatedToken, { ...tokenAnswer(), token: PAT }, 201),
        },
      ],
    },
  },
  {
    name: "create",
    args: ["create", "Platform team"],
    options: { savedLogin: "session", stubs: [{ route: "POST /api/my/meshes", reply: ok(Mesh, PLATFORM, 201) }] },
  },
  {
    name: "invite",
    args: ["invite", "--mesh", "platform-team", "--email", "bo@example.com", "--role", "admin"],
    options: {
      savedLogin: "session",
      stubs: [
        {
          route: "POST /api/my/meshes/platform-team/invites",
          reply: ok(
            CreatedInvite,
            inviteAnswer({ email: "bo@example.com", role: "admin", email_status: "queued" }),
            201,
          ),
        },
      ],
    },
  },
  {
    name: "invite with a bad --email",
    args: ["invite", "--mesh", "platform-team", "--email", "nobody"],
    options: { savedLogin: "session" },
  },
  { name: "list", args: ["list"], options: { savedLogin: "session", meshes: [joinedMesh(PLATFORM)], stubs: [meshes] } },
  {
    name: "join",
    args: ["join", INVITE_LINK],
    options: {
      savedLogin: "session",
      stubs: [
        {
          route: `POST /api/invites/${SECRET}/accept`,
          reply: ok(AcceptedInvite, { mesh: meshAnswer({ role: "member" }), already_member: false }),
        },
      ],
    },
  },
  {
    name: "launch",
    args: ["launch", "--mesh", "platform-team", "--name", "ada", "-y", "--", "0"],
    options: {
      savedLogin: "session",
      meshes: [joinedMesh(PLATFORM)],
      env: { CLAUDEMESH_CLAUDE_BIN: standInClaude() },
    },
  },
  {
    name: "launch without Claude Code",
    args: ["launch", "--mesh", "platform-team", "-y"],
    options: {
      savedLogin: "session",
      meshes: [joinedMesh(PLATFORM)],
      env: { CLAUDEMESH_CLAUDE_BIN: "/nonexistent/claude" },
    },
  },
  {
    name: "logout",
    args: ["logout"],
    options: {
      savedLogin: "session",
      stubs: [
        {
          route: "DELETE /api/my/cli/sessions/current",
          reply: ok(RevokedResponse, { id: "sess-1", revoked_at: "2026-06-01T12:00:00.000Z" }),
        },
      ],
    },
  },
  {
    name: "the server cannot be reached",
    args: ["whoami"],
    options: {
      savedLogin: "session",
      stubs: [{ route: "GET /api/my/whoami", reply: { networkError: "ECONNREFUSED" } }],
    },
  },
  {
    name: "the server does not answer in time",
    args: ["whoami"],
    options: { savedLogin: "session", stubs: [{ route: "GET /api/my/whoami", reply: { timeout: true } }] },
  },
  {
    name: "logout while the server cannot be reached",
    args: ["logout"],
    options: {
      savedLogin: "session",
      stubs: [{ route: "DELETE /api/my/cli/sessions/current", reply: { networkError: "ENOTFOUND" } }],
    },
  },
  {
    name: "login with no keychain: the auth.json fallback notice",
    args: ["login", "--with-token"],
    options: { stdin: `${PAT}\n`, stubs: [patWhoami, meshes], keychain: noKeychain },
  },
  {
    name: "whoami over a corrupted auth.json",
    args: ["whoami"],
    options: async () => {
      const dir = await configDir();
      await writeFile(join(dir, "auth.json"), "{ not json", { mode: 0o600 });
      return { configDir: dir };
    },
  },
  {
    name: "auth status over an auth.json of the wrong shape",
    args: ["auth", "status"],
    options: async () => {
      const dir = await configDir();
      await writeFile(join(dir, "auth.json"), '{ "version": 2, "servers": { "x": 1 } }', { mode: 0o600 });
      return { configDir: dir };
    },
  },
  {
    name: "login over a corrupted auth.json replaces it",
    args: ["login", "--with-token"],
    options: async () => {
      const dir = await configDir();
      await writeFile(join(dir, "auth.json"), "{ not json", { mode: 0o600 });
      return { configDir: dir, stdin: `${PAT}\n`, stubs: [patWhoami, meshes] };
    },
  },
  {
    name: "whoami with auth.json and its folder readable by others",
    args: ["whoami"],
    options: async () => {
      const saved = await loginInAuthFile();
      const dir = saved.configDir ?? "";
      await chmod(dir, 0o755);
      await chmod(join(dir, "auth.json"), 0o644);
      return { ...saved, stubs: [patWhoami] };
    },
  },
];

/** Names the fixtures print as they are, in any language. */
const NAMES = [
  "Ada Lovelace",
  "Platform team",
  "platform-team",
  "ada-laptop",
  "ci-deploy",
  "backup",
  "ada",
  "linux",
  "x64",
];

async function runIn(language: "en_US.UTF-8" | "es_ES.UTF-8", flow: Flow) {
  const options = typeof flow.options === "function" ? await flow.options() : flow.options;
  const result = await runCommand(flow.args, {
    ...options,
    env: { ...options.env, LANG: language, LC_ALL: undefined, LC_MESSAGES: undefined, CLAUDEMESH_LANG: undefined },
  });
  return { status: result.status, text: [result.stdout, result.stderr, ...result.prompts.asked].join("\n") };
}

describe("the main flows in Spanish", () => {
  it.each(FLOWS)("$name: no English left", async (flow) => {
    const english = await runIn("en_US.UTF-8", flow);
    const spanish = await runIn("es_ES.UTF-8", flow);
    expect(spanish.status, spanish.text).toBe(english.status);
    expect(spanish.text.trim()).not.toBe("");
    expect(englishLeft(spanish.text, english.text, { names: NAMES }), spanish.text).toEqual([]);
  });
});

describe("the English finder", () => {
  it("finds a sentence the English run printed too", () => {
    const english = "✘ https://mesh.test did not answer in time.";
    const spanish = "✘ El servidor no respondió a tiempo: https://mesh.test did not answer in time.";
    expect(englishLeft(spanish, english, { names: [] })).toContain('English sentence: "did not answer in time"');
  });

  it("finds common English words, even where the English run said otherwise", () => {
    expect(englishLeft("✔ Te uniste a platform-team como member", "", { names: ["platform-team"] })).toEqual([
      "English words member in: ✔ Te uniste a como member",
    ]);
  });

  it("lets through what reads the same in any language", () => {
    const english =
      "Run `claudemesh login` to sign in. See https://mesh.test/cli-auth?code=BCDF-GHJK, ~/.claudemesh/auth.json, --email, CLAUDEMESH_API_URL.";
    const spanish =
      "Ejecuta `claudemesh login` para iniciar sesión. Mira https://mesh.test/cli-auth?code=BCDF-GHJK, ~/.claudemesh/auth.json, --email, CLAUDEMESH_API_URL.";
    expect(englishLeft(spanish, english, { names: [] })).toEqual([]);
  });
});
