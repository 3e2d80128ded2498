// Bundles src/main.ts into dist/main.js. Our workspace packages (@claudemesh/*,
// shipped as TypeScript source) are bundled in; npm dependencies stay external
// and load from node_modules (PGlite finds its WASM files next to its own code).
import { build } from "esbuild";

await build({
  entryPoints: ["src/main.ts"],
  outfile: "dist/main.js",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: true,
  jsx: "automatic",
  jsxImportSource: "hono/jsx",
  logLevel: "warning",
  plugins: [
    {
      name: "external-npm-dependencies",
      setup(build) {
        build.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith("@claudemesh/") ? undefined : { path: args.path, external: true },
        );
      },
    },
  ],
});
