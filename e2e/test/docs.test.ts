import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningServer, startClaudemeshServer } from "../../sdk/test/support/claudemesh-server.js";
import { type DocSession, REPO_ROOT, startDocSession } from "./support/doc-session.js";
import { docSteps } from "./support/doc-steps.js";

// Every command the docs show runs here against the built server and CLI, and
// the output they show must still appear (conventions: support/doc-steps.ts).

const read = (path: string) => readFile(join(REPO_ROOT, path), "utf8");

/** `npx -y pnpm@10 start` is install + build (done before the tests) + this server, as the docs use it. */
async function startCommandServes(): Promise<void> {
  const { scripts } = JSON.parse(await read("package.json")) as { scripts: Record<string, string> };
  expect(scripts.start).toBe("pnpm install --frozen-lockfile && pnpm build && node server/dist/main.js");
}

describe("the docs, run as written", () => {
  let server: RunningServer | undefined;
  let session: DocSession | undefined;
  afterEach(async () => {
    await session?.dispose();
    await server?.stop();
    session = undefined;
    server = undefined;
  });

  async function start(options: { cliOnPath: boolean; cwd?: string }) {
    let log = "";
    server = await startClaudemeshServer({
      onOutput: (text) => {
        log += text;
      },
    });
    const running = server;
    session = await startDocSession({
      serverUrl: running.url,
      serverLog: () => log,
      ...options,
      standIns: { "npx -y pnpm@10 start": () => log },
    });
    return session;
  }

  it("docs/quickstart.md: self-host, sign in, create, invite, join, launch", async () => {
    await startCommandServes();
    const steps = docSteps(await read("docs/quickstart.md"));
    const commands = steps.filter((step) => step.kind === "command").map((step) => step.command);
    expect(commands).toContain("claudemesh login");
    expect(commands).toContain("claudemesh join http://localhost:3000/invite/<invite-code>");
    expect(commands.at(-1)).toMatch(/^claudemesh launch --mesh platform-team/);

    // The quickstart installs the CLI itself (step 2), from the repository.
    const docs = await start({ cliOnPath: false, cwd: REPO_ROOT });
    await docs.run(steps);

    expect(await docs.opened()).toEqual([expect.stringMatching(/\/cli-auth\?code=[A-Z]{4}-[A-Z]{4}$/)]);
    const [launch = ""] = await docs.launches();
    expect(launch).toMatch(/^claude +mesh=platform-team id=\S+ name=Platform team peer=Grace role=reviewer api=http/);
    expect(launch).toContain("token=none");
  });
});
