import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { withMcpConfig, writeMcpConfig } from "./mcp-config.js";

describe("launch's --mcp-config file", () => {
  it("names this CLI's mcp --mesh <slug>, 0600 in a 0700 folder, and remove() takes both away", () => {
    const file = writeMcpConfig("platform-team", {
      command: "/usr/bin/node",
      args: ["/opt/claudemesh/dist/claudemesh.js"],
    });
    try {
      expect(statSync(file.path).mode & 0o777).toBe(0o600);
      expect(statSync(dirname(file.path)).mode & 0o777).toBe(0o700);
      expect(JSON.parse(readFileSync(file.path, "utf8"))).toEqual({
        mcpServers: {
          claudemesh: {
            command: "/usr/bin/node",
            args: ["/opt/claudemesh/dist/claudemesh.js", "mcp", "--mesh", "platform-team"],
          },
        },
      });
    } finally {
      file.remove();
      file.remove();
    }
    expect(existsSync(dirname(file.path))).toBe(false);
  });

  it("goes in as one word, before a -- after which Claude Code reads no options", () => {
    // `--mcp-config a b` would read b as a second config file, not as the prompt.
    expect(withMcpConfig(["--model", "opus", "fix the bug"], "/t/mcp.json")).toEqual([
      "--model",
      "opus",
      "fix the bug",
      "--mcp-config=/t/mcp.json",
    ]);
    expect(withMcpConfig(["-p", "--", "--literal prompt"], "/t/mcp.json")).toEqual([
      "-p",
      "--mcp-config=/t/mcp.json",
      "--",
      "--literal prompt",
    ]);
  });
});
