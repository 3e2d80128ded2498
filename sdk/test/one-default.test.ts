import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** Where the doors and the server keep their code. */
const SOURCE_FOLDERS = ["sdk/src", "cli/src", "extension/src", "server/src"];

/** Every source file (not a test) under the folders, with its text. */
async function sources(): Promise<{ path: string; text: string }[]> {
  const found: { path: string; text: string }[] = [];
  for (const folder of SOURCE_FOLDERS) {
    for (const entry of await readdir(join(ROOT, folder), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !/\.tsx?$/.test(entry.name) || /\.test\.tsx?$/.test(entry.name)) continue;
      const path = join(entry.parentPath, entry.name);
      found.push({ path: relative(ROOT, path), text: await readFile(path, "utf8") });
    }
  }
  return found;
}

/** `file:line` for each line that matches. */
function linesMatching(files: { path: string; text: string }[], pattern: RegExp): string[] {
  return files.flatMap(({ path, text }) =>
    text.split("\n").flatMap((line, index) => (pattern.test(line) ? [`${path}:${index + 1}`] : [])),
  );
}

describe("one value for each default, in the SDK", () => {
  it("the default server is typed out once: DEFAULT_API_URL in sdk/src/env.ts", async () => {
    const files = await sources();
    expect(files.length).toBeGreaterThan(100);
    expect(linesMatching(files, /["'`]https?:\/\/(www\.)?claudemesh\.com/)).toEqual(["sdk/src/env.ts:4"]);
  });

  it("no door asks for a token lifetime of its own: they use DEFAULT_PAT_LIFETIME_DAYS", async () => {
    const doors = (await sources()).filter(({ path }) => path.startsWith("cli/") || path.startsWith("extension/"));
    expect(linesMatching(doors, /expires_in_days:\s*\d/)).toEqual([]);
  });
});
