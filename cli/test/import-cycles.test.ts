import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const BIOME = join(ROOT, "node_modules", ".bin", "biome");

/** Biome's own import-cycle rule over a folder, as the repo's biome.json configures it for cli/src. */
function cycleDiagnostics(cwd: string, folder: string): { status: number | null; output: string } {
  const run = spawnSync(BIOME, ["lint", "--only=suspicious/noImportCycles", "--max-diagnostics=50", folder], {
    cwd,
    encoding: "utf8",
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

const scratch = mkdtempSync(join(tmpdir(), "claudemesh-cycles-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("cli/src import cycles", () => {
  // A circle (launch ↔ wizard, login ↔ login-no-wait) means neither file loads, tests or moves
  // without the other, and a value imported across it may still be undefined when used.
  it("has no import cycle between files of cli/src, type-only imports included", () => {
    const { status, output } = cycleDiagnostics(ROOT, "cli/src");
    expect(output).not.toContain("noImportCycles");
    expect(status).toBe(0);
  });

  it("the rule as configured catches a circle closed by a type-only import", () => {
    const rootConfig = JSON.parse(readFileSync(join(ROOT, "biome.json"), "utf8"));
    const cliOverride = rootConfig.overrides.find((o: { includes: string[] }) => o.includes.includes("cli/src/**"));
    writeFileSync(join(scratch, "biome.json"), JSON.stringify({ root: true, linter: cliOverride.linter }));
    writeFileSync(
      join(scratch, "options.ts"),
      'import { run } from "./run.js";\nexport interface Options { a?: string }\nexport const go = run;\n',
    );
    writeFileSync(
      join(scratch, "run.ts"),
      'import type { Options } from "./options.js";\nexport function run(o: Options) { return o; }\n',
    );
    const { status, output } = cycleDiagnostics(scratch, ".");
    expect(output).toContain("noImportCycles");
    expect(status).not.toBe(0);
  });
});
