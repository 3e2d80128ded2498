import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: ["sdk", "server", "cli", "extension", "e2e"],
    passWithNoTests: false,
  },
});
