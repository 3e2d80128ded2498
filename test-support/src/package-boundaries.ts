import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

/** A path written relative to a file of one workspace package that lands in another. */
export interface BoundaryCrossing {
  /** The file that has it, relative to the workspace root. */
  file: string;
  /** As written. */
  specifier: string;
  /** The package it lands in. */
  into: string;
}

const SOURCE_FILE = /\.(?:[cm]?ts|tsx|[cm]?js)$/;
/** Where a package's code and tests live (benches run on plain Node, which cannot import this package's TypeScript). */
const CHECKED_FOLDERS = ["src", "test"];
/** Built, installed or generated: not code anyone writes imports in. */
const SKIPPED_FOLDERS = new Set(["node_modules", "dist", "artifacts", "coverage"]);
/** Every way our code names another file: import/export … from, import "…", import("…"), require("…"), new URL("…", import.meta.url). */
const SPECIFIERS = [
  /\bfrom\s+["']([^"']+)["']/g,
  /\bimport\s+["']([^"']+)["']/g,
  /\b(?:import|require)\s*\(\s*["']([^"']+)["']\s*\)/g,
  /\bnew\s+URL\(\s*["']([^"']+)["']\s*,\s*import\.meta\.url\s*\)/g,
];

/** The package folders `pnpm-workspace.yaml` lists, relative to the root. */
export function workspacePackages(root: string): string[] {
  const manifest = readFileSync(join(root, "pnpm-workspace.yaml"), "utf8");
  const list = /^packages:\n((?:\s+-.*\n?)+)/m.exec(manifest)?.[1] ?? "";
  return [...list.matchAll(/^\s+-\s+["']?([^"'\s]+)["']?/gm)].map((match) => match[1] ?? "");
}

/**
 * Every relative path in the workspace's packages' `src/` and `test/` that reaches into another
 * package (its `src/`, its tests' support, its build). Code that needs another
 * package imports it by name, and test helpers live in @claudemesh/test-support;
 * paths to the root's own files (docs/, scripts/) are not another package's.
 */
export function findBoundaryCrossings(root: string): BoundaryCrossing[] {
  const packages = workspacePackages(root).map((name) => ({ name, dir: resolve(root, name) }));
  const packageOf = (path: string) => packages.find(({ dir }) => path === dir || path.startsWith(dir + sep))?.name;
  const crossings: BoundaryCrossing[] = [];
  for (const { name, dir } of packages) {
    for (const file of CHECKED_FOLDERS.flatMap((folder) => sourceFiles(join(dir, folder)))) {
      const text = readFileSync(file, "utf8");
      for (const pattern of SPECIFIERS) {
        for (const [, specifier = ""] of text.matchAll(pattern)) {
          if (!specifier.startsWith("./") && !specifier.startsWith("../")) continue;
          const into = packageOf(resolve(dirname(file), specifier));
          if (into !== undefined && into !== name) crossings.push({ file: relative(root, file), specifier, into });
        }
      }
    }
  }
  return crossings;
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith(".") || SKIPPED_FOLDERS.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.isFile() && SOURCE_FILE.test(entry.name) ? [path] : [];
  });
}
