import { defineProject } from "vitest/config";

export default defineProject({
  // The build defines it (build.mjs); in-process tests run the sources.
  define: { CLAUDEMESH_VERSION: JSON.stringify("0.0.0-test") },
  test: {
    name: "cli",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
