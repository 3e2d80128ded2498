// What the Marketplace shows, checked against what vsce would package (`vsce ls`):
// the icon, the README's screenshots and the changelog must all be in the .vsix.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const EXTENSION = fileURLToPath(new URL("..", import.meta.url));
const manifest = JSON.parse(readFileSync(join(EXTENSION, "package.json"), "utf8")) as {
  version: string;
  icon: string;
  categories: string[];
  keywords: string[];
};
const packaged = execFileSync(join(EXTENSION, "node_modules", ".bin", "vsce"), ["ls", "--no-dependencies"], {
  cwd: EXTENSION,
  encoding: "utf8",
})
  .split("\n")
  .filter((line) => line !== "");

/** Width and height from a PNG's IHDR chunk. */
function pngSize(path: string): { width: number; height: number } {
  const bytes = readFileSync(join(EXTENSION, path));
  expect(bytes.subarray(1, 4).toString("latin1")).toBe("PNG");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe("the Marketplace listing", () => {
  it("has a packaged PNG icon of at least 128x128", () => {
    expect(manifest.icon).toMatch(/\.png$/);
    expect(packaged).toContain(manifest.icon);
    const { width, height } = pngSize(manifest.icon);
    expect(width).toBeGreaterThanOrEqual(128);
    expect(height).toBe(width);
  });

  it("packages every image the README shows, and the changelog", () => {
    const readme = readFileSync(join(EXTENSION, "README.md"), "utf8");
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((match) => match[1] as string);
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) {
      expect(packaged, image).toContain(image);
      expect(pngSize(image).width).toBeGreaterThan(0);
    }
    expect(packaged).toContain("CHANGELOG.md");
    expect(readFileSync(join(EXTENSION, "CHANGELOG.md"), "utf8")).toContain(`## ${manifest.version}`);
  });

  it("has categories and keywords", () => {
    expect(manifest.categories.length).toBeGreaterThan(0);
    expect(manifest.keywords).toContain("claudemesh");
  });
});
