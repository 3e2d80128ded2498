import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { WORKSPACE_ROOT } from "./workspace.js";

const INSTALL = join(WORKSPACE_ROOT, "scripts", "node24.sh");

/** `CLAUDEMESH_SKIP_NODE24=1` skips the Node 24 tests, for a machine that cannot reach the npm registry (README, "Two commands"). */
export const SKIP_NODE24 = process.env.CLAUDEMESH_SKIP_NODE24 === "1";

/** Long enough for a first install on a slow registry (~1 min here); a cached one takes a few ms. */
export const NODE24_INSTALL_TIMEOUT = 300_000;

/**
 * A Node 24 binary: this process's when the tests already run on 24, otherwise npm's
 * `node@24`, installed once into the test cache by scripts/node24.sh (the Node code-server
 * runs on). Rejects with the installer's output when there is none to be had: the tests
 * that need it fail rather than skip, unless SKIP_NODE24.
 */
export async function node24(): Promise<string> {
  if (process.versions.node.split(".")[0] === "24") return process.execPath;
  try {
    const { stdout } = await promisify(execFile)("bash", [INSTALL], { encoding: "utf8" });
    const binary = stdout.trim().split("\n").at(-1);
    if (!binary) throw new Error(`${INSTALL} printed no path`);
    return binary;
  } catch (error) {
    const { stderr = "" } = error as { stderr?: string };
    throw new Error(
      `no Node 24 for the Node 24 tests (${INSTALL} failed; CLAUDEMESH_SKIP_NODE24=1 skips them):\n${stderr || String(error)}`,
    );
  }
}
