import * as vscode from "vscode";

declare const CLAUDEMESH_VERSION: string;

// Wiring only: each feature (sign-in provider, status bar, trees) arrives in its own file.
export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand("claudemesh.showVersion", () =>
      vscode.window.showInformationMessage(`claudemesh ${CLAUDEMESH_VERSION}`),
    ),
  );
}

export function deactivate(): void {}
