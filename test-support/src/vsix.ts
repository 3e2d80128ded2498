import { execFileSync } from "node:child_process";
import { copyFile, mkdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";

export interface PackageVsixOptions {
  /** The extension's folder, whose `package` script builds dist/claudemesh-<target>.vsix. */
  extensionDir: string;
  /** `<platform>-<arch>`, as vsce names targets. */
  target: string;
  /** Where this test keeps its copy. */
  outFile: string;
}

/** A lock older than this was left by a killed run: packaging takes seconds. */
const STALE_LOCK_MS = 5 * 60_000;

/**
 * Builds the platform package with the release's own script and copies it to
 * `outFile`. Test files in parallel workers each package: they take turns (a
 * lock folder), as each build rewrites the same dist/ files the other is
 * packing, and each installs its own copy, which the next build cannot change.
 */
export async function packageVsix(options: PackageVsixOptions): Promise<string> {
  const lock = join(options.extensionDir, "dist", ".package-lock");
  await mkdir(join(options.extensionDir, "dist"), { recursive: true });
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const since = await stat(lock).then(
        (info) => Date.now() - info.mtimeMs,
        () => 0,
      );
      if (since > STALE_LOCK_MS) await rm(lock, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    execFileSync("npm", ["run", "--silent", "package", "--", "--target", options.target], {
      cwd: options.extensionDir,
      stdio: "ignore",
    });
    await copyFile(join(options.extensionDir, "dist", `claudemesh-${options.target}.vsix`), options.outFile);
    return options.outFile;
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
