// `pnpm --filter claudemesh test:vscode:electron`: the in-host suite (./suite) in a
// downloaded VS Code through @vscode/test-electron, for machines that can download
// VS Code (`pnpm test` runs the same suite in code-server instead). The CLI signs in
// first; then VS Code starts with the extension and the companion, and runs the suite,
// both on one real keyring (this config has no run-wide one: it starts its own).
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Keyring, startKeyring } from "@claudemesh/test-support/keyring";
import { type RunningServer, startClaudemeshServer } from "@claudemesh/test-support/server-process";
import { CLI_BUNDLE } from "@claudemesh/test-support/workspace";
import { downloadAndUnzipVSCode, runTests } from "@vscode/test-electron";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const EXTENSION = fileURLToPath(new URL("../..", import.meta.url));
const COMPANION = join(EXTENSION, "test", "vscode", "companion");

/** product.json of a downloaded VS Code, on each platform's layout. */
function productJson(executable: string): string {
  return process.platform === "darwin"
    ? join(dirname(executable), "..", "Resources", "app", "product.json")
    : join(dirname(executable), "resources", "app", "product.json");
}

/**
 * Lets the companion read claudemesh sessions without the consent dialog, which
 * VS Code refuses to show under test ("DialogService: refused to show dialog in
 * tests"); in code-server the test clicks Allow instead. This copy of VS Code only.
 */
function trustCompanion(executable: string): void {
  const path = productJson(executable);
  const product = JSON.parse(readFileSync(path, "utf8"));
  product.trustedExtensionAuthAccess = {
    ...product.trustedExtensionAuthAccess,
    claudemesh: ["claudemesh.claudemesh-tests"],
  };
  writeFileSync(path, JSON.stringify(product, null, 2));
}

describe("in a downloaded VS Code (@vscode/test-electron)", () => {
  let server: RunningServer;
  let keyring: Keyring | undefined;
  let scratch = "";
  let cliEnv: Record<string, string> = {};

  beforeAll(async () => {
    keyring = await startKeyring();
    server = await startClaudemeshServer();
    scratch = await mkdtemp(join(tmpdir(), "claudemesh-test-electron-"));
    cliEnv = {
      ...keyring.env,
      CLAUDEMESH_API_URL: server.url,
      CLAUDEMESH_CONFIG_DIR: join(scratch, "claudemesh"),
    };
    const account = await server.signUp("Elle Electron");
    const { token } = await server.createPat(account.cookie, "terminal");
    execFileSync(process.execPath, [CLI_BUNDLE, "login", "--with-token"], {
      input: token,
      env: { PATH: process.env.PATH, DO_NOT_TRACK: "1", ...cliEnv },
    });
  });

  afterAll(async () => {
    await server?.stop();
    await keyring?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it("the in-host suite passes, opened after `claudemesh login`", async () => {
    const vscodeExecutablePath = await downloadAndUnzipVSCode(process.env.VSCODE_VERSION ?? "stable");
    trustCompanion(vscodeExecutablePath);
    const workspace = join(scratch, "workspace");
    await mkdir(workspace, { recursive: true });
    const exitCode = await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: [EXTENSION, COMPANION],
      extensionTestsPath: join(COMPANION, "dist", "suite.js"),
      extensionTestsEnv: cliEnv,
      launchArgs: [workspace, "--disable-extensions", "--user-data-dir", join(scratch, "user-data")],
    });
    expect(exitCode).toBe(0);
  });
});
