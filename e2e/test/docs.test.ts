import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { setUpCodeServer } from "@claudemesh/test-support/code-server";
import { startClaudemeshServer } from "@claudemesh/test-support/server-process";
import { runPackageScript, withPackagingLock } from "@claudemesh/test-support/vsix";
import { WORKSPACE_ROOT } from "@claudemesh/test-support/workspace";
import { describe, expect, it, onTestFinished } from "vitest";
import { type DocSession, type DocSessionOptions, startDocSession } from "./support/doc-session.js";
import { docSteps } from "./support/doc-steps.js";

// Every command the docs show runs here against the built server and CLI, and
// the output they show must still appear (conventions: support/doc-steps.ts).

const read = (path: string) => readFile(join(WORKSPACE_ROOT, path), "utf8");

/** The quickstart's VS Code step, for this machine's platform as the page shows it. */
const VSIX_TARGET = "linux-x64";
const EXTENSION_DIR = join(WORKSPACE_ROOT, "extension");
const PACKAGE_VSIX = `npx -y pnpm@10 --filter claudemesh package --target ${VSIX_TARGET}`;
const INSTALL_VSIX = `code --install-extension extension/dist/claudemesh-${VSIX_TARGET}.vsix`;

/**
 * The two commands of the README are stood in for: `npx -y pnpm@10 start` is
 * install + build (done before these tests run) + the server each test starts;
 * `npx -y pnpm@10 test` is what is running this test.
 */
async function checkTheTwoCommands(): Promise<void> {
  const { scripts } = JSON.parse(await read("package.json")) as { scripts: Record<string, string> };
  expect(scripts.start).toBe("pnpm install --frozen-lockfile && pnpm build && node server/dist/main.js");
  expect(scripts.test).toMatch(/node scripts\/test\.mjs$/);
  expect(await read("scripts/test.mjs")).toContain('stage("tests (vitest)", bin("vitest")');
}

/** A server on a fresh database, and a reader's machine pointed at it; both go when the test ends. */
async function readerWithServer(
  options: Pick<DocSessionOptions, "cliOnPath" | "cwd" | "codeServer" | "standIns">,
): Promise<DocSession> {
  let log = "";
  const server = await startClaudemeshServer({
    onOutput: (text) => {
      log += text;
    },
  });
  onTestFinished(() => server.stop());
  const session = await startDocSession({
    serverUrl: server.url,
    ...options,
    standIns: { "npx -y pnpm@10 start": () => log, "npx -y pnpm@10 test": () => "", ...options.standIns },
  });
  onTestFinished(() => session.dispose());
  return session;
}

// Each page gets its own server: slugs and emails are unique per server.
describe("the docs, run as written", { timeout: 90_000 }, () => {
  it("docs/quickstart.md: self-host, sign in, create, invite, join, launch, add the VS Code extension", {
    timeout: 240_000,
  }, async () => {
    await checkTheTwoCommands();
    const steps = docSteps(await read("docs/quickstart.md"));
    const commands = steps.filter((step) => step.kind === "command").map((step) => step.command);
    expect(commands).toContain("claudemesh login");
    expect(commands).toContain("claudemesh join http://localhost:3000/invite/<invite-code>");
    expect(commands).toContainEqual(expect.stringMatching(/^claudemesh launch --mesh platform-team/));
    // Where the .vsix comes from, and how it gets into VS Code.
    const packaging = steps.findIndex((step) => step.kind === "command" && step.command === PACKAGE_VSIX);
    const installing = steps.findIndex((step) => step.kind === "command" && step.command === INSTALL_VSIX);
    expect(packaging, `the quickstart builds the .vsix: ${PACKAGE_VSIX}`).toBeGreaterThanOrEqual(0);
    expect(installing, `the quickstart installs it: ${INSTALL_VSIX}`).toBeGreaterThan(packaging);

    // The quickstart installs the CLI itself (step 2), from the repository; VS Code's `code` is code-server.
    const codeServer = setUpCodeServer();
    const docs = await readerWithServer({
      cliOnPath: false,
      cwd: WORKSPACE_ROOT,
      codeServer,
      // The same package script pnpm runs, without fetching pnpm into the reader's empty HOME.
      standIns: { [PACKAGE_VSIX]: () => runPackageScript(EXTENSION_DIR, VSIX_TARGET) },
    });
    await docs.run(steps.slice(0, packaging));
    // The editor tests package into the same dist/: built and installed in one turn.
    await withPackagingLock(EXTENSION_DIR, () => docs.run(steps.slice(packaging, installing + 1)));
    await docs.run(steps.slice(installing + 1));

    expect(await docs.opened()).toEqual([expect.stringMatching(/\/cli-auth\?code=[A-Z]{4}-[A-Z]{4}$/)]);
    const [launch = ""] = await docs.launches();
    // Claude Code gets the mesh through `claudemesh mcp` (--mcp-config) and its names in the environment.
    expect(launch).toMatch(
      /^claude --mcp-config=\S+\/mcp\.json mesh=platform-team id=\S+ name=Platform team peer=Grace role=reviewer api=http/,
    );
    expect(launch).toContain("token=none");
    const { version } = JSON.parse(await read("extension/package.json")) as { version: string };
    const installed = execFileSync(codeServer, ["--list-extensions", "--show-versions"], {
      env: { PATH: process.env.PATH ?? "", HOME: docs.home },
      encoding: "utf8",
    });
    expect(installed).toContain(`claudemesh.claudemesh@${version}`);
  });

  it("cli/README.md: every example, as one session", async () => {
    const steps = docSteps(await read("cli/README.md"));
    const docs = await readerWithServer({ cliOnPath: true });
    await docs.run(steps);

    const [launch = ""] = await docs.launches();
    expect(launch).toMatch(/^claude --continue --mcp-config=\S+ mesh=platform-team .* peer=Grace role=admin /);
    expect(await readFile(join(docs.home, ".bashrc"), "utf8")).toContain("complete -F _claudemesh claudemesh");
  });

  it("README.md: the 60-second tour", async () => {
    await checkTheTwoCommands();
    const steps = docSteps(await read("README.md"));
    const docs = await readerWithServer({ cliOnPath: true });
    await docs.run(steps);

    // The login's approval page, then the dashboard's token form `tokens create` opens.
    const opened = await docs.opened();
    expect(opened).toHaveLength(2);
    expect(opened[1]).toMatch(/\/dashboard\/settings\/cli-tokens\?name=ci-deploy&expiry=90$/);
    const [launch = ""] = await docs.launches();
    expect(launch).toMatch(/ mesh=platform-team .* peer=Ada role=owner /);
    expect(docs.transcript.at(-1)?.command).toBe("claudemesh logout");
  });
});
