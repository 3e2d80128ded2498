#!/usr/bin/env node
// `pnpm bench [server|snipe|broker|cli|flow|extension|keychain]`: runs one benchmark, or all of them in
// turn. Each prints its figures and ratios against a baseline measured in the same run.
import { spawnSync } from "node:child_process";

const TARGETS = {
  server: ["--filter", "claudemesh-server", "bench"],
  snipe: ["--filter", "claudemesh-server", "bench:snipe"],
  broker: ["--filter", "claudemesh-server", "bench:broker"],
  cli: ["--filter", "claudemesh-cli", "bench"],
  flow: ["--filter", "claudemesh-cli", "bench:flow"],
  extension: ["--filter", "claudemesh", "bench"],
  keychain: ["--filter", "@claudemesh/sdk", "bench"],
};
const target = process.argv[2];
if (target !== undefined && !(target in TARGETS)) {
  console.error(`usage: pnpm bench [${Object.keys(TARGETS).join("|")}]   (no argument: all of them)`);
  process.exit(1);
}
for (const name of target ? [target] : Object.keys(TARGETS)) {
  console.log(`\n=== bench ${name} ===`);
  const result = spawnSync("pnpm", TARGETS[name], { stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
