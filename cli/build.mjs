// Bundles the CLI: dist/claudemesh.js, a tiny CommonJS entry that answers
// --version by itself, and the program as ES modules under dist/chunks/ that load
// only when a command needs them. The keychain module (@github/keytar, native) stays external.
// The entry is CommonJS because Node starts a CommonJS file faster than an ES module
// (its ESM loader costs ~5 ms of a 30 ms `--version`); package.json files in dist/
// and dist/chunks/ tell Node which is which.
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { build } from "esbuild";

const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));
const define = { CLAUDEMESH_VERSION: JSON.stringify(version) };
rmSync("dist", { recursive: true, force: true });

// The program and the telemetry sender, named without a hash: the entry imports them by name.
const LAZY_ENTRIES = { program: "src/program.ts", "telemetry-sender": "src/telemetry-sender.ts" };

await build({
  entryPoints: LAZY_ENTRIES,
  outdir: "dist/chunks",
  chunkNames: "[name]-[hash]",
  bundle: true,
  splitting: true,
  platform: "node",
  target: "node20",
  format: "esm",
  // CommonJS dependencies (commander) call require(); give the ESM bundle one.
  banner: {
    js: 'import { createRequire as __createRequire } from "node:module";\nconst require = __createRequire(import.meta.url);',
  },
  define,
  // ws's optional native speed-ups: it runs without them (it requires them in a try).
  external: ["@github/keytar", "bufferutil", "utf-8-validate"],
  sourcemap: "linked",
  logLevel: "warning",
});

await build({
  entryPoints: { claudemesh: "src/main.ts" },
  outdir: "dist",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  banner: { js: "#!/usr/bin/env node" },
  define,
  plugins: [
    {
      name: "lazy-entries",
      // `import("./program.js")` in main.ts is the ES module built above.
      setup(build) {
        const lazy = new Set(Object.keys(LAZY_ENTRIES).map((name) => `./${name}.js`));
        build.onResolve({ filter: /^\.\/[\w-]+\.js$/ }, (args) =>
          lazy.has(args.path) ? { path: `./chunks/${args.path.slice(2)}`, external: true } : undefined,
        );
      },
    },
  ],
  sourcemap: "linked",
  logLevel: "warning",
});

mkdirSync("dist/chunks", { recursive: true });
writeFileSync("dist/package.json", `${JSON.stringify({ type: "commonjs" })}\n`);
writeFileSync("dist/chunks/package.json", `${JSON.stringify({ type: "module" })}\n`);
chmodSync("dist/claudemesh.js", 0o755);
