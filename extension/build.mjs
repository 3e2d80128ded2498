// Bundles the extension into dist/extension.js. VS Code loads extensions with
// require(), so the bundle is CommonJS; `vscode` is provided by the host.
import { readFileSync } from "node:fs";
import { build } from "esbuild";

const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));

await build({
  entryPoints: ["src/extension.ts"],
  outfile: "dist/extension.js",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  // keytar stays optional (loaded if present); undici is only the SDK's proxy agent, and the
  // extension hands the SDK the host's own fetch, which follows VS Code's proxy settings.
  external: ["vscode", "keytar", "undici"],
  minify: true,
  define: { CLAUDEMESH_VERSION: JSON.stringify(version) },
  sourcemap: "linked",
  logLevel: "warning",
});
