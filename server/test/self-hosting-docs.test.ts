import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readServerEnv, SERVER_ENV_VARIABLES } from "../src/env.js";

const DOC = readFileSync(new URL("../../docs/self-hosting.md", import.meta.url), "utf8");

/** The rows of the "Environment variables" table: variable → its default cell. */
function documentedVariables(): Map<string, string> {
  const section = DOC.split(/^## /m).find((part) => part.startsWith("Environment variables"));
  if (!section) throw new Error('docs/self-hosting.md has no "## Environment variables" section');
  const rows = new Map<string, string>();
  for (const match of section.matchAll(/^\| `([A-Z0-9_]+)` \| ([^|]*) \|/gm)) {
    rows.set(match[1] as string, (match[2] as string).trim());
  }
  return rows;
}

describe("docs/self-hosting.md", () => {
  it("documents every variable env.ts reads, and no other", () => {
    expect([...documentedVariables().keys()].sort()).toEqual([...SERVER_ENV_VARIABLES].sort());
  });

  it("gives each default env.ts applies", () => {
    const defaults = readServerEnv({});
    const rows = documentedVariables();
    for (const name of SERVER_ENV_VARIABLES) {
      const value = defaults[name];
      if (value === undefined) continue;
      expect(rows.get(name), name).toContain(`\`${String(value)}\``);
    }
  });
});
