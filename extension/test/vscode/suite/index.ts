// The in-host suite in the shape @vscode/test-electron runs: VS Code loads this
// file (`extensionTestsPath`) inside a real extension host and calls run(); a
// rejection fails the run. Here it also runs inside code-server, started by the
// companion test extension (see ../companion and ../in-editor.test.ts).
import { IN_HOST_TESTS } from "./claudemesh.suite.js";

/** One test's outcome, as the code-server run reads it back. */
export interface SuiteResult {
  name: string;
  passed: boolean;
  error?: string;
}

/** Runs every test in order (later ones build on earlier ones) and reports each. */
export async function runSuite(): Promise<SuiteResult[]> {
  const results: SuiteResult[] = [];
  for (const test of IN_HOST_TESTS) {
    try {
      await test.run();
      results.push({ name: test.name, passed: true });
    } catch (error) {
      results.push({
        name: test.name,
        passed: false,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    }
  }
  return results;
}

/** @vscode/test-electron's entry point. */
export async function run(): Promise<void> {
  const results = await runSuite();
  for (const result of results) {
    console.log(`${result.passed ? "✓" : "✗"} ${result.name}${result.error ? `\n${result.error}` : ""}`);
  }
  const failed = results.filter((result) => !result.passed).length;
  if (failed > 0) throw new Error(`${failed} of ${results.length} in-host tests failed`);
}
