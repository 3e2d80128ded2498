import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { mintToken } from "@claudemesh/sdk/token";
import { NODE24_INSTALL_TIMEOUT, node24, SKIP_NODE24 } from "@claudemesh/test-support/node24";
import { beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const BINARY = fileURLToPath(new URL("../dist/claudemesh.js", import.meta.url));
const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};

async function claudemesh(...args: string[]) {
  try {
    const { stdout, stderr } = await run(BINARY, args, { env: { PATH: process.env.PATH ?? "" } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

// Node compiles its fetch (undici) on first touch, and ky touches it as it loads: this
// reports at exit whether that happened, so a start that sends nothing can show it paid for neither.
const FETCH_PROBE = `data:text/javascript,${encodeURIComponent(
  'process.on("exit", () => process.moduleLoadList.some((name) => name.includes("undici")) && process.stderr.write("[fetch loaded]\\n"));',
)}`;

/** `claudemesh …args` on `node` with the probe above, in a scratch home (and temp dir, for the compile cache). */
async function probed(node: string, args: string[], env: Record<string, string> = {}) {
  const home = mkdtempSync(join(tmpdir(), "claudemesh-probe-"));
  try {
    const { stderr } = await run(node, ["--import", FETCH_PROBE, BINARY, ...args], {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: home,
        TMPDIR: home,
        CLAUDEMESH_CONFIG_DIR: home,
        DO_NOT_TRACK: "1",
        ...env,
      },
    }).catch((error: { stderr: string }) => error);
    return stderr;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

describe("the claudemesh binary", () => {
  it("is an executable bundle", () => {
    expect(statSync(BINARY).mode & 0o111).not.toBe(0);
  });

  it("--version prints the package version", async () => {
    expect(await claudemesh("--version")).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
  });

  it("--help describes the program", async () => {
    const result = await claudemesh("--help");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: claudemesh/);
  });

  it("an unknown option exits 1 with a pointer to --help", async () => {
    const result = await claudemesh("--bogus");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/unknown option '--bogus'/);
    expect(result.stderr).toMatch(/claudemesh --help/);
  });

  it.each([
    ["logni", "unknown command 'logni'. Did you mean 'login'?"],
    ["whoamy", "unknown command 'whoamy'. Did you mean 'whoami'?"],
    ["deploy", "unknown command 'deploy'."],
  ])("an unknown command (%s) exits 1, suggests the one meant, and never starts the wizard", async (word, message) => {
    const result = await claudemesh(word);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`✘ ${message}\n`);
    expect(result.stderr).toContain("claudemesh --help");
    expect(result.stderr).not.toMatch(/too many arguments/);
    expect(result.stdout).toBe("");
  });
});

// Node 24 also loads undici when an ES module imports node:http (its WebSocket getter), so it is checked too.
describe.each([
  { label: `this Node (${process.version})`, node: async () => process.execPath, skip: false },
  { label: "Node 24", node: node24, skip: SKIP_NODE24 },
])("a start that sends nothing, on $label", ({ node, skip }) => {
  let binary = "";
  beforeAll(async () => {
    if (!skip) binary = await node();
  }, NODE24_INSTALL_TIMEOUT);

  it.skipIf(skip).each(["--version", "--help", "login --help"])(
    "`claudemesh %s` loads neither ky nor Node's fetch",
    async (command) => {
      expect(await probed(binary, command.split(" "))).not.toContain("[fetch loaded]");
    },
  );

  it.skipIf(skip)("a command that calls the server loads them (so the probe can tell)", async () => {
    const stderr = await probed(binary, ["whoami"], {
      CLAUDEMESH_API_URL: "http://127.0.0.1:9",
      CLAUDEMESH_TOKEN: mintToken("pat"),
    });
    expect(stderr).toContain("Cannot reach http://127.0.0.1:9");
    expect(stderr).toContain("[fetch loaded]");
  });
});
