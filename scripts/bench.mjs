#!/usr/bin/env node
// `pnpm bench <target>`: runs one package's benchmark. Each prints its ratios
// against a baseline measured in the same run.
import { spawnSync } from "node:child_process";

const TARGETS = { server: "claudemesh-server", cli: "claudemesh-cli", extension: "claudemesh" };
const target = process.argv[2];
if (!target || !(target in TARGETS)) {
  console.error(`usage: pnpm bench <${Object.keys(TARGETS).join("|")}>`);
  process.exit(1);
}
const result = spawnSync("pnpm", ["--filter", TARGETS[target], "bench"], { stdio: "inherit" });
process.exit(result.status ?? 1);
