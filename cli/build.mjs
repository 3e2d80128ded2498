// Bundles the CLI into one file, dist/claudemesh.js, so it starts without
// resolving a tree of modules. Native modules (keytar) stay external.
import { chmodSync, readFileSync } from "node:fs";
import { build } from "esbuild";

const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));

const outfile = "dist/claudemesh.js";

await build({
  entryPoints: ["src/main.ts"],
  outfile,
  bundle: true,
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
chmodSync(outfile, 0o755);
