// The published CLI package (claudemesh-cli), as a user gets it: packed by npm,
// installed into an empty prefix without the network and without keytar (its
// only dependency, optional), then run against a real server. The full install
// from the registry, with keytar, is scripts/release-check.mjs.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { packWithNpm } from "@claudemesh/test-support/npm-pack";
import { type RunningServer, startClaudemeshServer } from "@claudemesh/test-support/server-process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CLI = fileURLToPath(new URL("..", import.meta.url));
const manifest = JSON.parse(readFileSync(join(CLI, "package.json"), "utf8")) as {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
};

describe("the packed claudemesh-cli", () => {
  let scratch = "";
  let binary = "";
  let packed: string[] = [];
  let server: RunningServer;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), "claudemesh-packed-cli-"));
    const serverStarted = startClaudemeshServer();
    const pack = packWithNpm(CLI, scratch);
    packed = pack.files;
    const prefix = join(scratch, "prefix");
    execFileSync("npm", ["install", "-g", "--offline", "--omit=optional", "--prefix", prefix, pack.tarball], {
      stdio: "ignore",
    });
    binary = join(prefix, "bin", "claudemesh");
    server = await serverStarted;
  }, 120_000); // packs, installs and starts a server; slow on a loaded machine

  afterAll(async () => {
    await server?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  const env = (name: string) => ({
    HOME: join(scratch, name),
    CLAUDEMESH_CONFIG_DIR: join(scratch, name, "config"),
    CLAUDEMESH_API_URL: server.url,
    DO_NOT_TRACK: "1",
  });

  it("is claudemesh-cli with nothing to install but keytar, optional", () => {
    expect(manifest.name).toBe("claudemesh-cli");
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(Object.keys(manifest.optionalDependencies ?? {})).toEqual(["@github/keytar"]);
  });

  it("carries the entry and every chunk it loads, and no sources or maps", () => {
    // The package.json files in dist/ say which files are CommonJS (the entry) and which ES modules.
    const built = execFileSync("find", ["dist", "-name", "*.js", "-o", "-name", "package.json"], {
      cwd: CLI,
      encoding: "utf8",
    })
      .trim()
      .split("\n");
    expect(built).toContain("dist/claudemesh.js");
    // npm adds README, LICENSE and CHANGELOG files on its own when they exist.
    const ours = packed.filter((path) => !/^(readme|license|changelog)\b/i.test(path));
    expect(ours.sort()).toEqual([...built, "package.json"].sort());
  });

  it("installs a claudemesh that prints the package's version and help", () => {
    expect(statSync(binary).isFile()).toBe(true);
    expect(execCli(["--version"], env("version"))).toEqual({ code: 0, stdout: `${manifest.version}\n` });
    const help = execCli(["--help"], env("version"));
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: claudemesh/);
  });

  it("signs in with a token from stdin and whoami names the account, from auth.json without keytar", async () => {
    const account = await server.signUp("Paula Packed");
    const { token } = await server.createPat(account.cookie, "packed-cli");
    const login = execCli(["login", "--with-token"], env("login"), `${token}\n`);
    expect(login.code).toBe(0);
    const whoami = execCli(["whoami", "--json"], env("login"));
    expect(whoami.code).toBe(0);
    expect(JSON.parse(whoami.stdout)).toMatchObject({
      user: { name: "Paula Packed", email: account.email },
      credential: { kind: "pat", name: "packed-cli", source: "file" },
      api_url: server.url,
    });
    expect(whoami.stdout).not.toContain(token);
  });

  function execCli(args: string[], environment: Record<string, string>, input?: string) {
    try {
      const stdout = execFileSync(binary, args, {
        encoding: "utf8",
        input,
        env: { PATH: process.env.PATH ?? "", ...environment },
        stdio: ["pipe", "pipe", "pipe"],
      });
      return { code: 0, stdout };
    } catch (error) {
      const failed = error as { status: number; stdout: string; stderr: string };
      return { code: failed.status, stdout: `${failed.stdout}${failed.stderr}` };
    }
  }
});
