// Bundles the extension into dist/extension.js. VS Code loads extensions with
// require(), so the bundle is CommonJS; `vscode` is provided by the host.
// `--target <platform-arch>` (default: this machine) puts that platform's OS
// keychain module at dist/native/keytar.node; package-targets.mjs packs one .vsix per target.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import { copyKeychainModule, hostTarget, removeKeychainModule } from "./keychain-module.mjs";

const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));
const { values } = parseArgs({ options: { target: { type: "string" } } });

await build({
  entryPoints: ["src/extension.ts"],
  outfile: "dist/extension.js",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  // The SDK's own keytar import stays out: the extension hands it the binary it ships (src/native-keychain.ts).
  // undici is only the SDK's proxy agent, and the extension hands the SDK the host's own fetch,
  // which follows VS Code's proxy settings.
  external: ["vscode", "@github/keytar", "undici"],
  minify: true,
  define: { CLAUDEMESH_VERSION: JSON.stringify(version) },
  sourcemap: "linked",
  logLevel: "warning",
});

try {
  copyKeychainModule(values.target ?? hostTarget());
} catch (error) {
  // Asked for a target: it must be there. A machine with no binary runs on auth.json, as the CLI does.
  if (values.target) throw error;
  removeKeychainModule();
  console.warn(`no OS keychain module in this build: ${error.message}`);
}
