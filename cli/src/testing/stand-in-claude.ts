import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * An executable that stands in for Claude Code: it exits with the status given as its first
 * argument when the mesh is in its environment, no token is, and `--mcp-config=<file>` names a
 * 0600 file whose `claudemesh` server is `<node> <script> mcp --mesh <CLAUDEMESH_MESH_SLUG>`; 99 otherwise.
 * With STAND_IN_RECORD set, it appends the config file's path there.
 */
export function standInClaude(): string {
  const script = join(mkdtempSync(join(tmpdir(), "claudemesh-stand-in-")), "claude");
  writeFileSync(
    script,
    `#!${process.execPath}
const { appendFileSync, readFileSync, statSync } = require("node:fs");
const { isAbsolute } = require("node:path");
const flag = process.argv.find((arg) => arg.startsWith("--mcp-config="));
const path = flag ? flag.slice("--mcp-config=".length) : "";
if (process.env.STAND_IN_RECORD) appendFileSync(process.env.STAND_IN_RECORD, path + "\\n");
let ok = Boolean(flag) && process.env.CLAUDEMESH_MESH_SLUG && !process.env.CLAUDEMESH_TOKEN;
if (ok) {
  ok = (statSync(path).mode & 0o777) === 0o600;
  const server = JSON.parse(readFileSync(path, "utf8")).mcpServers.claudemesh;
  const tail = server.args.slice(-3).join(" ");
  ok = ok && isAbsolute(server.command) && tail === "mcp --mesh " + process.env.CLAUDEMESH_MESH_SLUG;
}
process.exit(ok ? Number(process.argv[2]) : 99);
`,
  );
  chmodSync(script, 0o755);
  return script;
}
