// The published server package (claudemesh-server), as npm packs it: what it
// contains, and that it starts from its own layout with PGlite, its only dependency.
// scripts/release-check.mjs installs it from the npm registry; this test stays offline.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { packWithNpm } from "@claudemesh/test-support/npm-pack";
import { spawnServer } from "@claudemesh/test-support/server-process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const SERVER = fileURLToPath(new URL("..", import.meta.url));
const manifest = JSON.parse(readFileSync(join(SERVER, "package.json"), "utf8")) as {
  name: string;
  version: string;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
};

describe("the packed claudemesh-server", () => {
  let scratch = "";
  let installed = "";
  let packed: string[] = [];

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), "claudemesh-packed-server-"));
    const pack = packWithNpm(SERVER, scratch);
    packed = pack.files;
    // Lay it out as `npm install` would: the package, and its one dependency beside it.
    const modules = join(scratch, "node_modules");
    installed = join(modules, manifest.name);
    mkdirSync(installed, { recursive: true });
    execFileSync("tar", ["xzf", pack.tarball, "-C", installed, "--strip-components=1"]);
    mkdirSync(join(modules, "@electric-sql"));
    symlinkSync(
      realpathSync(join(SERVER, "node_modules", "@electric-sql", "pglite")),
      join(modules, "@electric-sql", "pglite"),
    );
  }, 120_000); // npm pack is slow on a loaded machine

  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("is claudemesh-server with a claudemesh-server bin and only PGlite to install", () => {
    expect(manifest.name).toBe("claudemesh-server");
    expect(manifest.bin).toEqual({ "claudemesh-server": "./dist/main.js" });
    expect(Object.keys(manifest.dependencies)).toEqual(["@electric-sql/pglite"]);
  });

  it("holds the bin, the bundle and every committed migration, and no sources", () => {
    const migrations = readdirSync(join(SERVER, "migrations"), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name).slice(SERVER.length).replaceAll("\\", "/"));
    expect(migrations).toContain("migrations/meta/_journal.json");
    expect(packed).toEqual(expect.arrayContaining(["dist/main.js", "dist/server.js", "package.json", ...migrations]));
    expect(packed.filter((path) => path.startsWith("src/") || path.endsWith(".map"))).toEqual([]);
  });

  it("starts from the package with only CLAUDEMESH_DATA_DIR and PORT, migrates and answers /healthz", async () => {
    const server = spawnServer(
      { CLAUDEMESH_DATA_DIR: join(scratch, "data") },
      { bundle: join(installed, "dist", "main.js") },
    );
    try {
      const url = await server.listening;
      expect(server.output()).toMatch(/migrations: applied \d+/);
      const health = await fetch(new URL("/healthz", url));
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: "ok" });
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 120_000); // a first start creates the PGlite cluster and migrates it
});
