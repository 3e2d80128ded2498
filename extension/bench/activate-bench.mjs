// `pnpm bench extension`: the cost of loading the bundle and running activate()
// (against the in-memory vscode API the unit tests use), and the bundle's size.
// Targets (issue 9): activate ≤ 30 ms, bundle ≤ 300 KB without the keychain module
// (dist/native/keytar.node, loaded on first keychain use; checked below that activate leaves it alone).
// As on a desktop: signed in, the token in a real keyring (the file store only on a machine without
// the keyring's packages, and then it says so).
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { createRequire, Module } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchTokenStore } from "@claudemesh/test-support/bench-token-store";
import { buildSync } from "esbuild";

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const bundle = fileURLToPath(new URL("../dist/extension.js", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "claudemesh-ext-bench-"));
const fake = join(scratch, "vscode.cjs");
const sdk = join(scratch, "sdk.cjs");
const nativeKeychain = fileURLToPath(new URL("../dist/native/keytar.node", import.meta.url));
const API_URL = "http://127.0.0.1:9"; // nothing answers; activate must not wait for it
const require = createRequire(import.meta.url);
const build = (entry, outfile) =>
  buildSync({
    entryPoints: [entry],
    outfile,
    format: "cjs",
    bundle: true,
    platform: "node",
    external: ["@github/keytar"], // the seed below loads the extension's own keychain module
    logLevel: "warning",
  });
build(fileURLToPath(new URL("../test/fake-vscode.ts", import.meta.url)), fake);
build(require.resolve("@claudemesh/sdk"), sdk);

// `require("vscode")` inside the bundle gets the fake.
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === "vscode" ? fake : resolve.call(this, request, ...rest);
};
const tokenStore = await benchTokenStore();
Object.assign(process.env, tokenStore.env);
process.env.CLAUDEMESH_CONFIG_DIR = join(scratch, "config");
process.env.CLAUDEMESH_API_URL = API_URL;

// The user signed in before, through the store the extension uses (with its keychain module).
const { CredentialStore, loadKeytarKeychain, mintToken } = require(sdk);
const saved = await new CredentialStore({
  apiUrl: API_URL,
  configDir: process.env.CLAUDEMESH_CONFIG_DIR,
  mode: tokenStore.kind,
  loadKeychain: () => loadKeytarKeychain({ load: async () => require(nativeKeychain) }),
}).save({
  token: mintToken("session"),
  user: { id: "u1", name: "Bench", email: "bench@example.test" },
  expiresAt: null,
  source: "device-code",
});
const load = [];
const activate = [];
let nativeLoaded = false;
for (let run = 0; run < RUNS + 3; run += 1) {
  for (const id of Object.keys(require.cache)) delete require.cache[id];
  require(fake).resetFake();
  const started = performance.now();
  const extension = require(bundle);
  const loaded = performance.now();
  const subscriptions = [];
  // Installed here, with this machine's keychain module in dist/native; activate must not load it.
  await extension.activate({ subscriptions, extensionPath: fileURLToPath(new URL("..", import.meta.url)) });
  const done = performance.now();
  nativeLoaded ||= Object.keys(require.cache).some((id) => id.endsWith(".node"));
  for (const item of subscriptions) item.dispose();
  if (run >= 3) {
    load.push(loaded - started);
    activate.push(done - loaded);
  }
}
await new Promise((resolve) => setTimeout(resolve, 300)); // the last run's watcher finishes starting
await tokenStore.stop();
rmSync(scratch, { recursive: true, force: true });
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
const size = statSync(bundle).size / 1024;
const verdict = (ok) => (ok ? "met" : "NOT met");
const total = median(load) + median(activate);
console.log(`median of ${RUNS} runs, signed in (token saved to ${saved.location}); token store: ${tokenStore.store}`);
console.log(`load bundle (require)   ${median(load).toFixed(1)} ms`);
console.log(`activate()              ${median(activate).toFixed(1)} ms`);
console.log(`load + activate         ${total.toFixed(1)} ms (target ≤ 30 ms: ${verdict(total <= 30)})`);
console.log(`bundle                  ${size.toFixed(0)} KB (target ≤ 300 KB: ${verdict(size <= 300)})`);
console.log(
  `keychain module         ${nativeLoaded ? "LOADED by activate (it must wait for first use)" : "not loaded by activate"}`,
);
