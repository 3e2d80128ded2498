import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { build } from "esbuild";

/**
 * A script that imports the server's own source, bundled into one ES module, so another
 * Node (24, beside the tests' 20) can run it with `runProbe`: what a process sees when
 * the source runs in it.
 */
export async function bundleProbe(source: string, resolveDir: string): Promise<string> {
  const bundle = await build({
    stdin: { contents: source, resolveDir, loader: "ts" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    write: false,
    logLevel: "silent",
  });
  return bundle.outputFiles[0]?.text ?? "";
}

/** Runs a bundled probe on `node` (with `nodeFlags`, passing `args`) and reads the JSON it prints. */
export async function runProbe<T>(node: string, probe: string, nodeFlags: string[] = [], args: string[] = []) {
  const { stdout } = await promisify(execFile)(node, [...nodeFlags, "--input-type=module", "--eval", probe, ...args], {
    encoding: "utf8",
  });
  return JSON.parse(stdout) as T;
}
