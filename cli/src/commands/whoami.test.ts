import { DeviceCodeResponse, DevicePollResponse, MeshList, mintToken, SessionList, Whoami } from "@claudemesh/sdk";
import { describe, expect, it } from "vitest";
import { type CommandCase, runCase, SAVED } from "../testing/command-table.js";
import { ADA } from "../testing/fake-context.js";
import { fails, ok } from "../testing/fake-transport.js";
import { deviceCodeAnswer, sessionAnswer, whoamiAnswer } from "../testing/fixtures.js";

const FLAG_TOKEN = mintToken("pat");
const ENV_TOKEN = mintToken("pat");
const NEW_SESSION = mintToken("session");
const whoami = (kind?: Whoami["credential"]["kind"]) => ({
  route: "GET /api/my/whoami",
  reply: ok(Whoami, whoamiAnswer(kind)),
});

const cases: CommandCase[] = [
  {
    name: "prints who and with what, on stdout",
    args: ["whoami"],
    savedLogin: "session",
    stubs: [whoami()],
    wantStatus: 0,
    wantStdout: [
      "Ada Lovelace <ada@example.com>",
      "Credential: CLI session on ada-laptop (from the OS keychain)",
      "Expires:    2026-08-30",
      "Server:     https://mesh.test",
    ],
    wantSent: [`GET /api/my/whoami ${SAVED}`],
  },
  {
    name: "--json: the stable shape, the source, never the token",
    args: ["whoami", "--json"],
    savedLogin: "session",
    stubs: [whoami()],
    wantStatus: 0,
    check: ({ stdout }) => {
      expect(JSON.parse(stdout)).toEqual({
        user: { id: "user-ada", name: "Ada Lovelace", email: "ada@example.com" },
        credential: { ...whoamiAnswer().credential, source: "keychain" },
        api_url: "https://mesh.test",
      });
    },
  },
  {
    name: "--sessions at a terminal lists the devices, * marking this one",
    args: ["whoami", "--sessions"],
    tty: true,
    savedLogin: "session",
    stubs: [
      whoami(),
      {
        route: "GET /api/my/cli/sessions",
        reply: ok(SessionList, {
          sessions: [
            sessionAnswer(),
            sessionAnswer({ id: "sess-2", current: false, device_name: "ci", last_used_at: null, ip_address: null }),
          ],
        }),
      },
    ],
    wantStatus: 0,
    wantStdout: [
      "CLI sessions:",
      "* ada-laptop · linux · x64  from 203.0.113.7  last used 2026-05-31, id sess-1",
      "  ci · linux · x64  never used, id sess-2",
    ],
    wantSent: [`GET /api/my/whoami ${SAVED}`, `GET /api/my/cli/sessions ${SAVED}`],
  },
  {
    name: "--token wins over the saved login and is named as the source",
    args: ["whoami", "--token", FLAG_TOKEN],
    savedLogin: "session",
    stubs: [whoami("pat")],
    wantStatus: 0,
    wantStdout: ['Credential: personal access token "ci-deploy" (from --token)', "Expires:    never"],
    wantSent: [`GET /api/my/whoami ${FLAG_TOKEN}`],
  },
  {
    name: "CLAUDEMESH_TOKEN is used when no --token is given",
    args: ["whoami"],
    env: { CLAUDEMESH_TOKEN: ENV_TOKEN },
    stubs: [whoami("pat")],
    wantStatus: 0,
    wantStdout: ["(from CLAUDEMESH_TOKEN)"],
    wantSent: [`GET /api/my/whoami ${ENV_TOKEN}`],
  },
  {
    name: "not signed in: exit 2 with the way in, and no request",
    args: ["whoami"],
    wantStatus: 2,
    stdoutIs: "",
    wantStderr: ["✘ Not signed in to https://mesh.test.", "Run `claudemesh login` to sign in."],
    wantSent: [],
  },
  {
    name: "a revoked token (401): exit 2 with the re-login hint",
    args: ["whoami"],
    savedLogin: "session",
    stubs: [{ route: "GET /api/my/whoami", reply: fails(401, "token_revoked", "This token was revoked.") }],
    wantStatus: 2,
    wantStderr: ["✘ This token was revoked.", "claudemesh login"],
  },
  {
    name: "a refused CLAUDEMESH_TOKEN says to fix the variable, not to log in",
    args: ["whoami"],
    env: { CLAUDEMESH_TOKEN: ENV_TOKEN },
    stubs: [{ route: "GET /api/my/whoami", reply: fails(401, "token_invalid", "Unknown token.") }],
    wantStatus: 2,
    wantStderr: ["✘ Unknown token.", "The token in CLAUDEMESH_TOKEN was refused"],
  },
  {
    name: "a refused saved login at a terminal offers to sign in again; declining exits 2",
    args: ["whoami"],
    tty: true,
    savedLogin: "session",
    stubs: [{ route: "GET /api/my/whoami", reply: fails(401, "token_expired", "This token expired.") }],
    prompts: [{ yesNo: false }],
    wantStatus: 2,
    wantStderr: ["✘ This token expired.", "claudemesh login"],
    wantAsked: ["Sign in again now?"],
  },
  {
    name: "never signed in, at a terminal: offers to sign in (not 'again'); declining exits 2",
    args: ["whoami"],
    tty: true,
    stubs: [],
    prompts: [{ yesNo: false }],
    wantStatus: 2,
    wantStderr: ["Not signed in to", "claudemesh login"],
    wantAsked: ["Sign in now?"],
  },
  {
    name: "accepting the offer signs in again (device code) and runs the command once more, with the new token",
    args: ["whoami"],
    tty: true,
    savedLogin: "session",
    stubs: [
      // The command, then login's check of the saved credential.
      { route: "GET /api/my/whoami", times: 2, reply: fails(401, "token_expired", "This token expired.") },
      { route: "POST /api/auth/cli/device-code", reply: ok(DeviceCodeResponse, deviceCodeAnswer()) },
      {
        route: "GET /api/auth/cli/device-code/device-secret",
        reply: ok(DevicePollResponse, { status: "approved", token: NEW_SESSION, user: ADA }),
      },
      { route: "GET /api/my/meshes", reply: ok(MeshList, { meshes: [] }) },
      whoami(),
    ],
    prompts: [{ yesNo: true }],
    wantStatus: 0,
    wantStderr: ["✘ This token expired.", "BCDF-GHJK", "✔ Authenticated as Ada Lovelace"],
    wantStdout: ["Ada Lovelace <ada@example.com>"],
    wantSent: [
      `GET /api/my/whoami ${SAVED}`,
      `GET /api/my/whoami ${SAVED}`,
      "POST /api/auth/cli/device-code",
      "GET /api/auth/cli/device-code/device-secret?wait=25",
      `GET /api/my/meshes ${NEW_SESSION}`,
      `GET /api/my/whoami ${NEW_SESSION}`,
    ],
  },
  {
    name: "rate limited (429): exit 1 with the wait hint",
    args: ["whoami"],
    savedLogin: "session",
    stubs: [{ route: "GET /api/my/whoami", reply: fails(429, "rate_limited", "Too many requests.") }],
    wantStatus: 1,
    wantStderr: ["✘ Too many requests.", "Wait a while, then try again."],
  },
  {
    name: "a network failure: exit 1 naming the server, after the retries",
    args: ["whoami"],
    savedLogin: "session",
    stubs: [{ route: "GET /api/my/whoami", reply: { networkError: "ECONNREFUSED" } }],
    wantStatus: 1,
    wantStderr: ["✘ Cannot reach https://mesh.test", "Check your connection and CLAUDEMESH_API_URL"],
    wantSent: [`GET /api/my/whoami ${SAVED}`, `GET /api/my/whoami ${SAVED}`, `GET /api/my/whoami ${SAVED}`],
  },
];

describe("claudemesh whoami", () => {
  it.each(cases)("$name", runCase);
});
