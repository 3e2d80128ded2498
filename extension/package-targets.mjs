// `pnpm --filter claudemesh package [--target linux-x64 …]` (pnpm 10 passes a `--` on to the script): one platform
// package per target (default: every one in keychain-module.mjs), each holding the
// bundle and exactly its platform's OS keychain module, as dist/claudemesh-<target>.vsix.
// The Marketplace hands each editor the package for its platform. Goes on past a
// target it cannot build, names it, and exits 1; dist/packages.json lists what was
// built (release-check reads it). Leaves dist/native/ holding this machine's module.
import { execFileSync } from "node:child_process";
import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { copyKeychainModule, hostTarget, removeKeychainModule, TARGETS } from "./keychain-module.mjs";

const EXTENSION = fileURLToPath(new URL(".", import.meta.url));
const { values } = parseArgs({ options: { target: { type: "string", multiple: true } } });
const targets = values.target ?? TARGETS;

execFileSync(process.execPath, ["build.mjs"], { cwd: EXTENSION, stdio: "inherit" });

const built = [];
for (const target of targets) {
  const vsix = join("dist", `claudemesh-${target}.vsix`);
  try {
    const module = copyKeychainModule(target);
    execFileSync(
      join(EXTENSION, "node_modules", ".bin", "vsce"),
      [
        "package",
        "--target",
        target,
        "--no-dependencies",
        "--allow-missing-repository",
        "--no-rewrite-relative-links",
        "--out",
        vsix,
      ],
      { cwd: EXTENSION, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" },
    );
    const bytes = statSync(join(EXTENSION, vsix)).size;
    built.push({ target, vsix: join(EXTENSION, vsix), bytes, keychainModule: module.architecture });
    console.log(`✔ ${target}: ${vsix} (${(bytes / 1024).toFixed(1)} KB, keychain module ${module.architecture})`);
  } catch (error) {
    const why = (error.stderr || error.message).trim().split("\n")[0];
    built.push({ target, error: why });
    console.error(`✘ ${target}: not built: ${why}`);
  }
}
writeFileSync(join(EXTENSION, "dist", "packages.json"), `${JSON.stringify(built, null, 2)}\n`);

// Back to this machine's module, so a development host (F5, test-electron) loads the right one.
try {
  copyKeychainModule(hostTarget());
} catch {
  removeKeychainModule();
}
if (built.some((entry) => entry.error)) process.exit(1);
