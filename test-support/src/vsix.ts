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
 * Runs `task` while no other test packages the extension in `extensionDir`. Test files in
 * parallel workers each package: they take turns (a lock folder), as each build rewrites
 * the same dist/ files the other is packing or installing.
 */
export async function withPackagingLock<T>(extensionDir: string, task: () => Promise<T>): Promise<T> {
  const lock = join(extensionDir, "dist", ".package-lock");
  await mkdir(join(extensionDir, "dist"), { recursive: true });
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
    return await task();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

/**
 * The release's own package script for one target (what `pnpm --filter claudemesh package
 * --target <target>` runs), leaving dist/claudemesh-<target>.vsix; what it printed. Call it
 * inside `withPackagingLock`.
 */
export function runPackageScript(extensionDir: string, target: string): string {
  return execFileSync("npm", ["run", "--silent", "package", "--", "--target", target], {
    cwd: extensionDir,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
}

/**
 * Builds the platform package with the release's own script and copies it to
 * `outFile`, taking turns with other test files (`withPackagingLock`); each
 * installs its own copy, which the next build cannot change.
 */
export function packageVsix(options: PackageVsixOptions): Promise<string> {
  return withPackagingLock(options.extensionDir, async () => {
    runPackageScript(options.extensionDir, options.target);
    await copyFile(join(options.extensionDir, "dist", `claudemesh-${options.target}.vsix`), options.outFile);
    return options.outFile;
  });
}
