// The Dockerfile and compose.yaml, checked without a Docker engine (none runs
// where these tests run): the invariants a reviewer would look for, and that
// everything the Dockerfile copies exists and is in the build context.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { dockerContext, isDockerignored, readDockerignore } from "../../scripts/docker-context.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const DOCKERFILE = readFileSync(join(ROOT, "Dockerfile"), "utf8");
const COMPOSE = readFileSync(join(ROOT, "compose.yaml"), "utf8");

interface Instruction {
  keyword: string;
  args: string;
}

/** The Dockerfile's stages, each a list of instructions (continuation lines joined, comments dropped). */
function stages(): { from: string; name?: string; instructions: Instruction[] }[] {
  const lines = DOCKERFILE.replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  const result: { from: string; name?: string; instructions: Instruction[] }[] = [];
  for (const line of lines) {
    const [, keyword = "", args = ""] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === "FROM") {
      const [, image = "", name] = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(args) ?? [];
      result.push({ from: image, name, instructions: [] });
    } else {
      result.at(-1)?.instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return result;
}

const all = stages();
const runtime = all.at(-1);
const runtimeArgs = (keyword: string) =>
  runtime?.instructions.filter((instruction) => instruction.keyword === keyword).map((i) => i.args) ?? [];

describe("Dockerfile", () => {
  it("builds in node:24 and runs in node:24 slim, in separate stages", () => {
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(all[0]?.from).toMatch(/^node:24(?:[-.]|$)/);
    expect(runtime?.from).toMatch(/^node:24[\w.-]*-slim$/);
  });

  it("ships on Node 24 while every package still promises Node 20.19 and later", () => {
    for (const manifest of ["package.json", "server/package.json", "cli/package.json"]) {
      const { engines } = JSON.parse(readFileSync(join(ROOT, manifest), "utf8")) as { engines?: { node?: string } };
      expect(engines?.node, manifest).toBe(">=20.19");
    }
  });

  it("runs as a user that is not root", () => {
    const users = runtimeArgs("USER");
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
  });

  it("checks /healthz with node (slim has no curl), exposes 3000 and keeps data in /data", () => {
    const [healthcheck] = runtimeArgs("HEALTHCHECK");
    expect(healthcheck).toMatch(/CMD \["node", "-e", .*\/healthz/);
    expect(healthcheck).not.toMatch(/curl|wget/);
    expect(runtimeArgs("EXPOSE")).toContain("3000");
    expect(runtimeArgs("ENV").join(" ")).toMatch(/CLAUDEMESH_DATA_DIR=\/data\b/);
    expect(runtimeArgs("VOLUME").join(" ")).toContain("/data");
    expect(runtimeArgs("CMD")).toEqual(['["claudemesh-server"]']);
  });

  it("puts the migrations in the image: they are in the package it installs, checked at build time", () => {
    const files = (JSON.parse(readFileSync(join(ROOT, "server", "package.json"), "utf8")) as { files: string[] }).files;
    expect(files).toContain("migrations");
    expect(DOCKERFILE).toMatch(/COPY server\/ server\//);
    expect(DOCKERFILE).toContain(
      "test -f /opt/claudemesh/lib/node_modules/claudemesh-server/migrations/meta/_journal.json",
    );
    expect(runtimeArgs("COPY")).toContain("--from=build /opt/claudemesh /opt/claudemesh");
  });

  it("copies only files that exist and that .dockerignore leaves in the context", () => {
    const patterns = readDockerignore(ROOT);
    const sources = all
      .flatMap((stage) => stage.instructions)
      .filter((instruction) => instruction.keyword === "COPY" && !instruction.args.startsWith("--from"))
      .flatMap((instruction) => instruction.args.split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(existsSync(join(ROOT, source)), source).toBe(true);
      expect(isDockerignored(source.replace(/\/$/, ""), patterns), source).toBe(false);
    }
    // Every workspace package's manifest is copied, so `pnpm install --frozen-lockfile` sees the whole workspace.
    const workspace = readFileSync(join(ROOT, "pnpm-workspace.yaml"), "utf8");
    for (const [, pkg] of workspace.matchAll(/^ {2}- (\S+)$/gm)) expect(sources).toContain(`${pkg}/package.json`);
  });

  it("leaves what is built or installed out of the context", () => {
    const patterns = readDockerignore(ROOT);
    for (const path of [
      "node_modules/x",
      "server/node_modules/x",
      "server/dist/main.js",
      ".git/HEAD",
      "server/.data/x",
    ]) {
      expect(isDockerignored(path, patterns), path).toBe(true);
    }
  });
});

const compose = spawnSync("docker-compose", ["version"], { stdio: "ignore" }).status === 0;

describe("compose.yaml", () => {
  it("runs Postgres 16 and the server built here, on that Postgres", () => {
    expect(COMPOSE).toMatch(/image: postgres:16\b/);
    expect(COMPOSE).toMatch(/build: \./);
    expect(COMPOSE).toMatch(/DATABASE_URL: postgres:\/\/\S+@postgres:5432\//);
    expect(COMPOSE).toMatch(/condition: service_healthy/);
  });

  it("requires BETTER_AUTH_SECRET and passes PUBLIC_URL and TRUST_PROXY", () => {
    expect(COMPOSE).toMatch(/BETTER_AUTH_SECRET: \$\{BETTER_AUTH_SECRET:\?[^}]+\}/);
    expect(COMPOSE).toMatch(/PUBLIC_URL: \$\{PUBLIC_URL/);
    expect(COMPOSE).toMatch(/TRUST_PROXY: \$\{TRUST_PROXY/);
  });

  it.skipIf(!compose)("docker-compose config refuses to start without BETTER_AUTH_SECRET, and accepts it set", () => {
    const config = (env: Record<string, string>) =>
      spawnSync("docker-compose", ["-f", "compose.yaml", "config"], {
        cwd: ROOT,
        encoding: "utf8",
        env: { PATH: process.env.PATH ?? "", ...env },
      });
    const missing = config({});
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain("set BETTER_AUTH_SECRET to at least 32 random characters");
    const secret = "x".repeat(48);
    const ok = config({ BETTER_AUTH_SECRET: secret });
    expect(ok.stderr).toBe("");
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain(`BETTER_AUTH_SECRET: ${secret}`);
    expect(ok.stdout).toContain("image: postgres:16");
  });
});

describe("the build context the release check measures", () => {
  it("holds the sources, manifests and lockfile, and nothing installed or built", () => {
    const { files, bytes } = dockerContext(ROOT);
    expect(files).toEqual(
      expect.arrayContaining([
        "Dockerfile",
        "pnpm-lock.yaml",
        "server/src/main.ts",
        "server/migrations/meta/_journal.json",
      ]),
    );
    expect(files.filter((path) => /(^|\/)(node_modules|dist)\//.test(path))).toEqual([]);
    expect(bytes).toBeGreaterThan(0);
  });
});
