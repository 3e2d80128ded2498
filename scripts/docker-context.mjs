// What `docker build .` would send as its context, without a Docker engine:
// the files a clean clone has (git ls-files) minus the .dockerignore patterns.
// Used by scripts/release-check.mjs (to print the context size) and by the Dockerfile test.
import { execFileSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** The patterns of `<root>/.dockerignore`, comments and blank lines dropped. */
export function readDockerignore(root) {
  return readFileSync(join(root, ".dockerignore"), "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

// Docker matches with Go's filepath.Match plus "**" for any number of folders; a pattern
// that matches a folder excludes everything under it; the last matching pattern wins ("!" re-includes).
function patternToRegExp(pattern) {
  const body = pattern
    .replace(/^\/+|\/+$/g, "")
    .split(/(\*\*\/|\*\*|\*|\?)/)
    .map((part) => {
      if (part === "**/") return "(?:.*/)?";
      if (part === "**") return ".*";
      if (part === "*") return "[^/]*";
      if (part === "?") return "[^/]";
      return part.replace(/[.+^${}()|[\]\\]/g, "\\$&");
    })
    .join("");
  return new RegExp(`^${body}(?:/.*)?$`);
}

/** Whether `.dockerignore` patterns leave `path` (relative, with "/") out of the context. */
export function isDockerignored(path, patterns) {
  let ignored = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith("!");
    if (patternToRegExp(negated ? pattern.slice(1) : pattern).test(path)) ignored = !negated;
  }
  return ignored;
}

/** The context's files (tracked and untracked-but-not-gitignored) and their total size in bytes. */
export function dockerContext(root) {
  const patterns = readDockerignore(root);
  const listed = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], {
    cwd: root,
    encoding: "utf8",
  })
    .split("\0")
    .filter((path) => path !== "" && !isDockerignored(path, patterns));
  let bytes = 0;
  const files = [];
  for (const path of listed) {
    try {
      bytes += statSync(join(root, path)).size;
      files.push(path);
    } catch {
      // Deleted in the work tree but still in the index: not in the context either.
    }
  }
  return { files, bytes };
}
