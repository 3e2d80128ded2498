import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

/** Every string the code passes to vscode.l10n.t, across line breaks. */
function l10nStrings(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...l10nStrings(path));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) {
      for (const match of readFileSync(path, "utf8").matchAll(/l10n\.t\(\s*("(?:[^"\\]|\\.)*")/g)) {
        found.push(JSON.parse(match[1] ?? '""'));
      }
    }
  }
  return found;
}

describe("the extension's manifest and translations", () => {
  it("activates once start-up has finished (for the status bar), or earlier when a session is asked for", () => {
    expect(manifest.activationEvents).toEqual(["onStartupFinished", "onAuthenticationRequest:claudemesh"]);
    expect(manifest.contributes.authentication).toEqual([{ id: "claudemesh", label: "claudemesh" }]);
  });

  it("has a Spanish translation for every manifest string and every message in the code", () => {
    const en = JSON.parse(readFileSync(join(root, "package.nls.json"), "utf8"));
    const es = JSON.parse(readFileSync(join(root, "package.nls.es.json"), "utf8"));
    expect(Object.keys(es).sort()).toEqual(Object.keys(en).sort());
    const placeholders = JSON.stringify(manifest).match(/%[\w.]+%/g) ?? [];
    for (const key of placeholders) expect(en, key).toHaveProperty(key.slice(1, -1));

    const bundle = JSON.parse(readFileSync(join(root, "l10n", "bundle.l10n.es.json"), "utf8"));
    const used = [...new Set(l10nStrings(join(root, "src")))];
    expect(used.length).toBeGreaterThan(20);
    for (const message of used) expect(bundle, message).toHaveProperty([message]);
  });
});
