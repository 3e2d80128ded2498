import { writeFile } from "node:fs/promises";
import * as vscode from "vscode";
import { runSuite } from "../suite/index.js";

// Runs the in-host suite when asked (code-server has no extensionTestsPath route), so the
// editor is already open and the person's consent can be given in its UI.
export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand("claudemesh-tests.run", async () => {
      const results = await runSuite();
      const file = process.env.CLAUDEMESH_SUITE_RESULTS;
      if (file) await writeFile(file, JSON.stringify(results, null, 2));
      const failed = results.filter((result) => !result.passed).length;
      void vscode.window.showInformationMessage(
        `claudemesh in-host suite: ${results.length - failed} passed, ${failed} failed`,
      );
      return results;
    }),
  );
}
