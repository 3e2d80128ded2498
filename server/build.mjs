// Bundles src/main.ts into dist/server.js with every dependency inside, so the
// published package (claudemesh-server) needs nothing at run time but PGlite,
// which stays external because it loads its WASM and data files next to its
// own code. The bundle finds ../migrations (shipped in the package) from itself.
// The bin, dist/main.js, is src/bin.ts: it turns on the compile cache, then imports the bundle.
import { chmodSync, rmSync } from "node:fs";
import { build } from "esbuild";

rmSync("dist", { recursive: true, force: true });

await build({
  entryPoints: ["src/main.ts"],
  outfile: "dist/server.js",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  // CommonJS dependencies (nodemailer, postgres) call require(), so give the ESM bundle one.
  banner: {
    js: 'import { createRequire as __createRequire } from "node:module";\nconst require = __createRequire(import.meta.url);',
  },
  sourcemap: "linked",
  jsx: "automatic",
  jsxImportSource: "hono/jsx",
  // Better Auth's optional tracing (import("@opentelemetry/api") in a try) stays a lookup at run time.
  external: ["@electric-sql/pglite", "@electric-sql/pglite/*", "@opentelemetry/api"],
  plugins: [
    {
      name: "prom-client-without-tracing",
      // prom-client requires it only for its default process metrics (exemplars), which the
      // broker does not register; an empty module spares a failed require() at start.
      setup(build) {
        build.onResolve({ filter: /^@opentelemetry\/api$/ }, (args) =>
          args.importer.includes("prom-client") ? { path: "otel-unused", namespace: "empty" } : undefined,
        );
        build.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "module.exports = {};", loader: "js" }));
      },
    },
  ],
  logLevel: "warning",
});

await build({
  entryPoints: ["src/bin.ts"],
  outfile: "dist/main.js",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  banner: { js: "#!/usr/bin/env node" },
  plugins: [
    {
      name: "server-bundle",
      // bin.ts's `import("./main.js")` is the bundle built above.
      setup(build) {
        build.onResolve({ filter: /^\.\/main\.js$/ }, () => ({ path: "./server.js", external: true }));
      },
    },
  ],
  logLevel: "warning",
});
chmodSync("dist/main.js", 0o755);
