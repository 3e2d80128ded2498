import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";

export default defineProject({
  // Unit tests run outside VS Code, against a small in-memory stand-in for the `vscode` API;
  // the real extension host runs the end-to-end suite.
  resolve: { alias: { vscode: fileURLToPath(new URL("./test/fake-vscode.ts", import.meta.url)) } },
  define: { CLAUDEMESH_VERSION: JSON.stringify("0.0.0-test") },
  // Generous limits: these tests start the real server, and CI runs every project at once on 2 cores.
  test: {
    name: "extension",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
