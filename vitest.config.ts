import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: ["sdk", "server", "cli", "extension", "e2e", "hardening"],
    passWithNoTests: false,
  },
});
