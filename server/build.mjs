// Bundles src/main.ts into dist/main.js with every dependency inside, so the
// published package (claudemesh-server) needs nothing at run time but PGlite,
// which stays external because it loads its WASM and data files next to its
// own code. The bundle finds ../migrations (shipped in the package) from itself.
import { chmodSync } from "node:fs";
import { build } from "esbuild";

await build({
  entryPoints: ["src/main.ts"],
  outfile: "dist/main.js",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  // The bin entry; CommonJS dependencies (nodemailer, postgres) call require(), so give the ESM bundle one.
  banner: {
    js: '#!/usr/bin/env node\nimport { createRequire as __createRequire } from "node:module";\nconst require = __createRequire(import.meta.url);',
  },
  sourcemap: "linked",
  jsx: "automatic",
  jsxImportSource: "hono/jsx",
  // Better Auth's optional tracing (import("@opentelemetry/api") in a try) stays a lookup at run time.
  external: ["@electric-sql/pglite", "@electric-sql/pglite/*", "@opentelemetry/api"],
  logLevel: "warning",
});
chmodSync("dist/main.js", 0o755);
