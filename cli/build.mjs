// Bundles the CLI: dist/claudemesh.js (the entry, tiny) plus chunks under
// dist/chunks/ that load only when a command needs them. Native modules
// (keytar) stay external.
import { chmodSync, readFileSync, rmSync } from "node:fs";
import { build } from "esbuild";

const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));
rmSync("dist", { recursive: true, force: true });

await build({
  entryPoints: { claudemesh: "src/main.ts" },
  outdir: "dist",
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  platform: "node",
  target: "node20",
  format: "esm",
  // CommonJS dependencies (commander) call require(); give the ESM bundle one.
  banner: {
    js: '#!/usr/bin/env node\nimport { createRequire as __createRequire } from "node:module";\nconst require = __createRequire(import.meta.url);',
  },
  define: { CLAUDEMESH_VERSION: JSON.stringify(version) },
  external: ["keytar"],
  sourcemap: "linked",
  logLevel: "warning",
});
chmodSync("dist/claudemesh.js", 0o755);
