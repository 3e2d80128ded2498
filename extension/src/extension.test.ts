import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import type { ExtensionContext } from "vscode";
import * as vscode from "vscode";
import { registeredCommands, shownMessages } from "../test/fake-vscode.js";
import { activate } from "./extension.js";

const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  contributes: { commands: { command: string }[] };
};

function fakeContext() {
  return { subscriptions: [] as { dispose(): unknown }[] } as unknown as ExtensionContext;
}

describe("activate", () => {
  afterEach(() => registeredCommands.clear());

  it("registers every command the manifest contributes, and disposes them with the context", () => {
    const context = fakeContext();
    activate(context);
    const contributed = manifest.contributes.commands.map((entry) => entry.command).sort();
    expect([...registeredCommands.keys()].sort()).toEqual(contributed);

    for (const disposable of context.subscriptions) disposable.dispose();
    expect(registeredCommands.size).toBe(0);
  });

  it("Show Version reports the extension's version", async () => {
    activate(fakeContext());
    await vscode.commands.executeCommand("claudemesh.showVersion");
    expect(shownMessages.at(-1)).toBe("claudemesh 0.0.0-test");
  });
});
