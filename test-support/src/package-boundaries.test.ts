import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findBoundaryCrossings, workspacePackages } from "./package-boundaries.js";
import { WORKSPACE_ROOT } from "./workspace.js";

describe("package boundaries", () => {
  const scratch = mkdtempSync(join(tmpdir(), "claudemesh-boundaries-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(scratch, path)), { recursive: true });
    writeFileSync(join(scratch, path), text);
  };

  it("finds every way a package's file names another package's files by a relative path, and only those", () => {
    write("pnpm-workspace.yaml", "packages:\n  - app\n  - lib\n\ncatalog:\n  zod: ^4\n");
    write(
      "app/test/uses-lib.test.ts",
      [
        'import { helper } from "../../lib/test/support/helper.js";',
        'export { thing } from "../../lib/src/thing.js";',
        'import "../../lib/src/side-effect.js";',
        'const later = await import("../../lib/src/later.js");',
        'const bundle = new URL("../../lib/dist/main.js", import.meta.url);',
        // Allowed: its own files, the root's docs, and other packages by name.
        'import { own } from "../src/own.js";',
        'const doc = new URL("../../docs/guide.md", import.meta.url);',
        'import { api } from "lib/api";',
      ].join("\n"),
    );
    write("lib/src/thing.ts", 'import { x } from "./x.js";\n');
    write("lib/node_modules/app/index.js", 'import "../../../app/src/index.js";\n');
    write("lib/bench/run.mjs", 'import "../../app/src/index.js";\n');

    expect(workspacePackages(scratch)).toEqual(["app", "lib"]);
    expect(findBoundaryCrossings(scratch)).toEqual([
      { file: "app/test/uses-lib.test.ts", specifier: "../../lib/test/support/helper.js", into: "lib" },
      { file: "app/test/uses-lib.test.ts", specifier: "../../lib/src/thing.js", into: "lib" },
      { file: "app/test/uses-lib.test.ts", specifier: "../../lib/src/side-effect.js", into: "lib" },
      { file: "app/test/uses-lib.test.ts", specifier: "../../lib/src/later.js", into: "lib" },
      { file: "app/test/uses-lib.test.ts", specifier: "../../lib/dist/main.js", into: "lib" },
    ]);
  });

  it("holds in this workspace: no package reaches into another by a relative path", () => {
    expect(workspacePackages(WORKSPACE_ROOT)).toContain("test-support");
    expect(findBoundaryCrossings(WORKSPACE_ROOT)).toEqual([]);
  });
});
