import { defineProject } from "vitest/config";

// Only for `pnpm --filter claudemesh test:vscode:electron`, which downloads VS Code;
// the root config's projects never include it.
export default defineProject({
  test: {
    name: "extension-electron",
    root: new URL(".", import.meta.url).pathname,
    include: ["test-electron.e2e.ts"],
    testTimeout: 15 * 60_000,
    hookTimeout: 5 * 60_000,
  },
});
