#!/usr/bin/env node
// `pnpm test` runs this after scripts/system-packages.mjs and `pnpm install`:
// lint, typecheck, build (tests run the built server and CLI), then every vitest project. Ends
// with the line CI reads, "N passed, N failed"; a failed stage that is not a
// failed test (lint, a suite that could not load) counts as one failure.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const bin = (name) => join("node_modules", ".bin", name);
let passed = 0;
let failed = 0;

function stage(name, command, args) {
  console.log(`\n▸ ${name}`);
  const ok = spawnSync(command, args, { stdio: "inherit" }).status === 0;
  if (!ok) console.error(`✘ ${name} failed`);
  return ok;
}

if (!stage("lint (biome)", bin("biome"), ["check", "."])) failed += 1;
if (!stage("typecheck", "pnpm", ["-r", "typecheck"])) failed += 1;

// The extension's in-editor tests need code-server, compiled once and cached outside
// the clone (~3 min the first time); do it before the tests so it does not compete with them.
const codeServer = stage("prepare a real VS Code (code-server, cached)", "bash", [
  join("test-support", "src", "setup-code-server.sh"),
]);
if (!codeServer) failed += 1;

if (stage("build", "pnpm", ["-r", "build"])) {
  const reportDir = mkdtempSync(join(tmpdir(), "claudemesh-test-"));
  const report = join(reportDir, "vitest.json");
  const ok = stage("tests (vitest)", bin("vitest"), [
    "run",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${report}`,
  ]);
  let results = { numPassedTests: 0, numFailedTests: 0 };
  try {
    results = JSON.parse(readFileSync(report, "utf8"));
  } catch {}
  rmSync(reportDir, { recursive: true, force: true });
  passed += results.numPassedTests;
  failed += results.numFailedTests;
  if (!ok && results.numFailedTests === 0) failed += 1;
} else {
  failed += 1;
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
