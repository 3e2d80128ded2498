// JSON that parses but is built to hurt: tens of thousands of nested arrays or
// objects (a recursive walk overflows the stack), or tens of thousands of values
// in one body. Every JSON route of the real server answers 400 before a route
// or Better Auth sees it: never a 5xx, never a stack trace in the log.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, signUp } from "./support/browser-session.js";
import { type ServerOnPostgres, startServerOnPostgres } from "./support/server-on-postgres.js";

/** Under the 64 KiB body limit, so the JSON check (not the size check) must answer. */
const NESTING = 30_000;

const BODIES: Record<string, string> = {
  "deep arrays": `${"[".repeat(NESTING)}${"]".repeat(NESTING)}`,
  "deep objects": `${'{"a":'.repeat(NESTING / 3)}1${"}".repeat(NESTING / 3)}`,
  "deep value in a real field": `{"name":${"[".repeat(NESTING)}${"]".repeat(NESTING)}}`,
  "just over the depth cap": `{"name":"x","device_name":${"[".repeat(40)}"x"${"]".repeat(40)}}`,
  "wide array": `[${"0,".repeat(NESTING)}0]`,
  // Valid for every route that takes a name or a device, plus thousands of keys nobody reads.
  "wide object": JSON.stringify({
    name: "Wide",
    device_name: "wide",
    email: "wide@example.test",
    password: "correct horse battery",
    ...Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, 0])),
  }),
};

describe("deep and wide JSON against every JSON route of the real server", () => {
  let running: ServerOnPostgres;
  let url = "";
  const auth: Record<"cookie" | "token", Record<string, string>> = { cookie: {}, token: {} };
  let meshId = "";
  let inviteSecret = "";

  beforeAll(async () => {
    running = await startServerOnPostgres();
    url = running.url;
    const cookie = await signUp(url, "Deep Thought", "deep@example.test");
    auth.cookie = { cookie };
    const pat = (await (await postJson(url, "/api/my/cli/tokens", { name: "deep" }, { cookie })).json()) as {
      token: string;
    };
    auth.token = { authorization: `Bearer ${pat.token}` };
    meshId = ((await (await postJson(url, "/api/my/meshes", { name: "Deep" }, { cookie })).json()) as { id: string })
      .id;
    const invite = (await (await postJson(url, `/api/my/meshes/${meshId}/invites`, {}, { cookie })).json()) as {
      url: string;
    };
    inviteSecret = invite.url.split("/").pop() ?? "";
  });
  afterAll(() => running?.stop());

  it("answers 400 invalid_input to each, with no 5xx and nothing logged", async () => {
    const routes: [method: string, path: string, credentials: "none" | "cookie" | "token"][] = [
      ["POST", "/api/auth/cli/device-code", "none"],
      ["POST", "/api/auth/cli/device-code/BCDF-GHJK/approve", "cookie"],
      ["POST", "/api/auth/cli/device-code/BCDF-GHJK/deny", "cookie"],
      ["POST", "/api/auth/cli/loopback/token", "none"],
      ["POST", "/api/my/cli/tokens", "token"],
      ["DELETE", "/api/my/cli/tokens/some-id", "token"],
      ["DELETE", "/api/my/cli/sessions/current", "token"],
      ["POST", "/api/my/meshes", "token"],
      ["POST", `/api/my/meshes/${meshId}/invites`, "token"],
      ["POST", `/api/invites/${inviteSecret}/accept`, "token"],
      ["POST", "/api/telemetry", "none"],
      ["POST", "/api/auth/sign-in/email", "none"],
      ["POST", "/api/auth/sign-up/email", "none"],
      ["POST", "/api/auth/change-password", "cookie"],
      ["POST", "/api/auth/update-user", "cookie"],
      ["POST", "/api/auth/sign-out", "cookie"],
    ];
    const answers: string[] = [];
    for (const [method, path, credentials] of routes) {
      for (const [name, body] of Object.entries(BODIES)) {
        const headers = credentials === "none" ? {} : auth[credentials];
        const response = await fetch(new URL(path, url), {
          method,
          headers: { "content-type": "application/json", origin: new URL(url).origin, ...headers },
          body,
          signal: AbortSignal.timeout(10_000),
        });
        const answer = (await response.json()) as { error?: string; message?: string };
        answers.push(`${method} ${path} (${name}) → ${response.status} ${answer.error}: ${answer.message}`);
      }
    }
    expect(answers).toHaveLength(routes.length * Object.keys(BODIES).length);
    expect(answers.filter((answer) => !/→ 400 invalid_input: The request body (nests|holds) /.test(answer))).toEqual(
      [],
    );

    const output = running.server.output();
    expect(output).not.toMatch(/RangeError|Maximum call stack| failed: |\n\s+at /);
    // The server is still whole: it answers and the account still works.
    expect((await fetch(new URL("/api/my/whoami", url), { headers: auth.token })).status).toBe(200);
  });
});
