// For the benchmarks, which run on plain Node (no TypeScript): the token store a desktop user meets —
// the real keyring of keyring.ts — or, on a machine without its Debian packages, the file store, said out loud.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildSync } from "esbuild";
import { SYSTEM_PACKAGES } from "../../scripts/system-packages.mjs";

/** What keyring.ts runs: libsecret for keytar, gnome-keyring and a D-Bus daemon. */
const KEYRING_PACKAGES = ["libsecret-1-0", "gnome-keyring", "dbus"];

/**
 * Starts the test keyring and returns what a benchmark gives its clients:
 * `env` (the keyring's bus, or CLAUDEMESH_TOKEN_STORE=file when the keyring's
 * packages are missing), `store` (which one, to print beside the figures) and `stop()`.
 */
export async function benchTokenStore() {
  const missing = SYSTEM_PACKAGES.filter(({ apt, present }) => KEYRING_PACKAGES.includes(apt) && !present()).map(
    ({ apt }) => apt,
  );
  if (missing.length > 0) {
    console.log(`No keyring here (apt packages missing: ${missing.join(", ")}): measuring the file store instead.`);
    return {
      kind: "file",
      store: "file store (auth.json), CLAUDEMESH_TOKEN_STORE=file",
      env: { CLAUDEMESH_TOKEN_STORE: "file" },
      stop: async () => {},
    };
  }
  const { startKeyring } = await importKeyringModule();
  const keyring = await startKeyring();
  return {
    kind: "keychain",
    store: "OS keychain (gnome-keyring on a private D-Bus, through keytar)",
    env: keyring.env,
    stop: () => keyring.stop(),
  };
}

/** keyring.ts, compiled on the fly: it uses only Node's built-ins. */
async function importKeyringModule() {
  const dir = mkdtempSync(join(tmpdir(), "claudemesh-bench-keyring-"));
  try {
    const outfile = join(dir, "keyring.mjs");
    buildSync({
      entryPoints: [fileURLToPath(new URL("./keyring.ts", import.meta.url))],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      logLevel: "warning",
    });
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
