import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { PGlite } from "@electric-sql/pglite";

const run = promisify(execFile);

/**
 * Where the run's freshly initialised PGlite cluster is, for workers and the
 * processes they spawn (set by the root globalSetup before any worker starts).
 */
export const PGLITE_TEMPLATE_ENV = "CLAUDEMESH_TEST_PGLITE_TEMPLATE";

/**
 * Runs PGlite's initdb once for the whole test run. initdb is most of what an
 * embedded database costs to open (measured: 50 s under a loaded 2-core run
 * against 9 s to copy and open its result), and every file that starts a server
 * paid it. The template holds an empty cluster, no schema: each database copied
 * from it still runs every migration, as a fresh install does.
 */
export async function createPgliteTemplate(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const parent = await mkdtemp(join(tmpdir(), "claudemesh-pglite-template-"));
  const dir = join(parent, "cluster");
  const cluster = new PGlite(dir);
  await cluster.waitReady;
  await cluster.close();
  return { dir, remove: () => rm(parent, { recursive: true, force: true }) };
}

/**
 * Copies the run's template cluster into `dataDir` (which must not exist yet or
 * be empty) and returns true; returns false when no template was made (a test
 * run outside the root config), so the caller's server runs initdb itself.
 */
export async function copyPgliteTemplate(dataDir: string): Promise<boolean> {
  const template = process.env[PGLITE_TEMPLATE_ENV];
  if (!template) return false;
  // `cp -a` rather than fs.cp: the cluster is ~1 000 small files, which fs.cp walks in
  // JavaScript (lstat, copy, chmod each: ~0.55 s of CPU a copy against ~0.12 s), and a test run
  // copies it for every embedded database it opens, dozens of times.
  await mkdir(dataDir, { recursive: true });
  await run("cp", ["-a", `${template}/.`, dataDir]);
  return true;
}
