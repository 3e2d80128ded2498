#!/usr/bin/env node
// keytar (the CLI's OS keychain) is an optional native module: an install that ran
// before libsecret's headers were there skipped it for good, and a later
// `pnpm install` does not try again. Both README commands run this, so the
// keychain works from the first command on a machine that has libsecret, and
// from the test command on one that installs it (scripts/system-packages.mjs).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Where pnpm keeps keytar's built binary, or null when keytar is not installed at all. */
function keytarBinary() {
  const store = join(root, "node_modules", ".pnpm");
  const folder = existsSync(store) ? readdirSync(store).find((name) => name.startsWith("keytar@")) : undefined;
  return folder ? join(store, folder, "node_modules", "keytar", "build", "Release", "keytar.node") : null;
}

function hasLibsecret() {
  try {
    execFileSync("pkg-config", ["--exists", "libsecret-1"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Builds keytar where it lives (the sdk and cli packages; a plain `pnpm rebuild keytar` at the root does nothing). */
export function ensureKeytarBuilt() {
  const binary = keytarBinary();
  if (!binary || existsSync(binary)) return true;
  if (!hasLibsecret()) {
    console.log("▸ keytar not built: libsecret is missing, so tokens are kept in ~/.claudemesh/auth.json");
    return true;
  }
  console.log("▸ building keytar (the OS keychain) now that libsecret is here");
  const built = spawnSync("pnpm", ["-r", "rebuild", "keytar"], { cwd: root, stdio: "inherit" }).status === 0;
  return built && existsSync(binary);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exit(ensureKeytarBuilt() ? 0 : 1);
