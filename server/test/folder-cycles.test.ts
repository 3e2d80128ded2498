import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SOURCE = resolve(dirname(fileURLToPath(import.meta.url)), "../src");

/** The unit of layering: a folder of src/ (`pages/`), or a file at its top (`app-env`). */
function unitOf(path: string): string {
  const [first = "", ...rest] = relative(SOURCE, path).split("/");
  return rest.length > 0 ? `${first}/` : first.replace(/\.tsx?$|\.js$/, "");
}

/** Every non-test source file's relative imports, `import type` included: a type is a dependency too. */
function importsOf(root: string): { from: string; to: string }[] {
  const edges: { from: string; to: string }[] = [];
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.tsx?$/.test(entry.name) || entry.name.includes(".test.")) continue;
    const path = join(entry.parentPath, entry.name);
    for (const match of readFileSync(path, "utf8").matchAll(/\bfrom\s+"(\.{1,2}\/[^"]+)"/g)) {
      edges.push({ from: path, to: resolve(dirname(path), match[1] ?? "") });
    }
  }
  return edges;
}

/** Each cycle between units once, as `a → b → a` with the imports that close it. */
function findCycles(edges: { from: string; to: string }[]): string[] {
  const graph = new Map<string, Map<string, string>>();
  for (const { from, to } of edges) {
    const [a, b] = [unitOf(from), unitOf(to)];
    if (a === b) continue;
    const targets = graph.get(a) ?? new Map<string, string>();
    if (!targets.has(b)) targets.set(b, `${relative(SOURCE, from)} → ${relative(SOURCE, to)}`);
    graph.set(a, targets);
  }
  const cycles = new Map<string, string>();
  const walk = (path: string[]) => {
    const last = path[path.length - 1] ?? "";
    for (const [next, example] of graph.get(last) ?? []) {
      const start = path.indexOf(next);
      if (start >= 0) {
        const loop = path.slice(start);
        const key = [...loop].sort().join(" ");
        const steps = [...loop, next].join(" → ");
        if (!cycles.has(key)) cycles.set(key, `${steps} (closed by ${example})`);
      } else if (path.length < graph.size) {
        walk([...path, next]);
      }
    }
  };
  for (const unit of graph.keys()) walk([unit]);
  return [...cycles.values()];
}

describe("server source layering", () => {
  // Arrows run one way (routes → middleware → pages → stores → db); a cycle between
  // folders means neither side can be understood, tested or moved without the other.
  it("has no import cycle between folders of src/ (or the files at its top)", () => {
    expect(findCycles(importsOf(SOURCE))).toEqual([]);
  });

  it("the check finds a cycle through a folder and a top-level file", () => {
    const file = (path: string) => join(SOURCE, path);
    const edges = [
      { from: file("middleware/errors.tsx"), to: file("pages/error-page.js") },
      { from: file("pages/not-found-page.tsx"), to: file("app-env.js") },
      { from: file("app-env.ts"), to: file("middleware/page-context.js") },
      { from: file("pages/layout.tsx"), to: file("pages/page-context.js") },
    ];
    expect(findCycles(edges)).toEqual([
      "middleware/ → pages/ → app-env → middleware/ (closed by app-env.ts → middleware/page-context.js)",
    ]);
  });
});
