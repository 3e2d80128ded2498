// Builds the in-host suite for both runners: the companion test extension
// (companion/dist/extension.js, packaged for code-server), and the suite as
// @vscode/test-electron loads it (companion/dist/suite.js, inside the companion so
// the host counts its calls as the companion's).
import { build } from "esbuild";

const here = (path) => new URL(path, import.meta.url).pathname;
const host = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  // As in the extension's own build: the suite reads the keychain with the module the package ships.
  external: ["vscode", "@github/keytar", "undici"],
  logLevel: "warning",
};

await Promise.all([
  build({ ...host, entryPoints: [here("companion/extension.ts")], outfile: here("companion/dist/extension.js") }),
  build({ ...host, entryPoints: [here("suite/index.ts")], outfile: here("companion/dist/suite.js") }),
]);
