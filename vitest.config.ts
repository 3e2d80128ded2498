import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: ["sdk", "server", "cli", "extension", "e2e", "hardening", "test-support"],
    passWithNoTests: false,
    // Vitest's default on 2 cores is one worker, but most files wait on the processes
    // they spawn (servers, the CLI, Chromium): two run side by side in 2/3 of the time.
    maxWorkers: 2,
    // One real keyring for the run, in every worker's and spawned process's environment: the CLI and
    // the editor meet the OS keychain as on a desktop (issue 24). The root's globalSetup runs for every project.
    // One PGlite initdb for the run, copied wherever a test opens an embedded database.
    globalSetup: ["test-support/src/suite-keyring.ts", "test-support/src/suite-pglite-template.ts"],
  },
});
