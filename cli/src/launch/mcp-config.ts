import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The command line that runs this very CLI: its node and its script, absolute, so Claude Code's PATH does not matter. */
export interface CliCommand {
  command: string;
  args: string[];
}

export function thisCli(): CliCommand {
  return { command: process.execPath, args: process.argv[1] ? [process.argv[1]] : [] };
}

/** The `--mcp-config` file handed to Claude Code, and how to take it away. */
export interface McpConfigFile {
  path: string;
  /** Removes the file and its folder; safe to call more than once. */
  remove(): void;
}

/**
 * Writes Claude Code's MCP configuration for one launch: the `claudemesh` server is this CLI's
 * `mcp --mesh <slug>`. In a fresh 0700 folder, the file 0600: it names no credential, but what
 * Claude Code runs is nobody else's to read or swap.
 */
export function writeMcpConfig(meshSlug: string, cli: CliCommand = thisCli()): McpConfigFile {
  const folder = mkdtempSync(join(tmpdir(), "claudemesh-launch-"));
  const path = join(folder, "mcp.json");
  const config = {
    mcpServers: { claudemesh: { command: cli.command, args: [...cli.args, "mcp", "--mesh", meshSlug] } },
  };
  writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  return { path, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

/**
 * Claude Code's arguments with the config added. `--mcp-config` takes several values, so it is
 * given as one `--mcp-config=<file>` word; before a `--` the user wrote, after which Claude Code
 * reads no options.
 */
export function withMcpConfig(claudeArgs: readonly string[], path: string): string[] {
  const flag = `--mcp-config=${path}`;
  const end = claudeArgs.indexOf("--");
  return end === -1 ? [...claudeArgs, flag] : [...claudeArgs.slice(0, end), flag, ...claudeArgs.slice(end)];
}
