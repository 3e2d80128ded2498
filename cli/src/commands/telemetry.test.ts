import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { LocalConfig } from "@claudemesh/sdk";
import { describe, expect, it } from "vitest";
import { type CommandCase, runCase } from "../testing/command-table.js";
import { type CommandResult, runCommand } from "../testing/fake-context.js";

const TRACKING_ALLOWED = { DO_NOT_TRACK: undefined };

async function savedSetting({ configDir }: CommandResult): Promise<boolean | null> {
  const config = LocalConfig.parse(JSON.parse(await readFile(join(configDir, "config.json"), "utf8")));
  return config.telemetry?.enabled ?? null;
}

const cases: CommandCase[] = [
  {
    name: "status by default: on, why, and what is collected",
    args: ["telemetry", "status"],
    env: TRACKING_ALLOWED,
    wantStatus: 0,
    stdoutIs: "Telemetry is on (the default; `claudemesh telemetry off` turns it off).\n",
    wantStderr: ["claudemesh collects anonymous usage data"],
    wantSent: [],
  },
  {
    name: "status under DO_NOT_TRACK: off, because of the environment",
    args: ["telemetry", "status"],
    tty: true,
    wantStatus: 0,
    stdoutIs: "Telemetry is off (DO_NOT_TRACK or CLAUDEMESH_TELEMETRY is set).\n",
  },
  {
    name: "status --json",
    args: ["telemetry", "status", "--json"],
    env: { DO_NOT_TRACK: undefined, CLAUDEMESH_TELEMETRY: "off" },
    wantStatus: 0,
    check: ({ stdout }) => expect(JSON.parse(stdout)).toEqual({ enabled: false, decided_by: "environment" }),
  },
  {
    name: "off: saved in config.json",
    args: ["telemetry", "off"],
    env: TRACKING_ALLOWED,
    wantStatus: 0,
    stdoutIs: "",
    wantStderr: ["✔ Telemetry is off."],
    check: async (result) => expect(await savedSetting(result)).toBe(false),
  },
  {
    name: "on while DO_NOT_TRACK is set: saved, with a warning that it stays off here",
    args: ["telemetry", "on"],
    wantStatus: 0,
    wantStderr: [
      "✔ Telemetry is on.",
      "! DO_NOT_TRACK or CLAUDEMESH_TELEMETRY=0 is set here, which keeps it off anyway.",
    ],
    check: async (result) => expect(await savedSetting(result)).toBe(true),
  },
  {
    name: "an unknown subcommand: exit 1",
    args: ["telemetry", "maybe"],
    wantStatus: 1,
    wantStderr: ["unknown command 'maybe'"],
  },
];

describe("claudemesh telemetry", () => {
  it.each(cases)("$name", runCase);

  it("says what is collected once: not on a second status, nor on the next command", async () => {
    const first = await runCommand(["telemetry", "status"], { env: TRACKING_ALLOWED });
    expect(first.stderr).toContain("claudemesh collects anonymous usage data");
    const again = await runCommand(["telemetry", "status"], { env: TRACKING_ALLOWED, configDir: first.configDir });
    expect(again.stdout).toContain("Telemetry is on");
    expect(again.stderr).not.toContain("claudemesh collects anonymous usage data");
    const next = await runCommand(["whoami"], { env: TRACKING_ALLOWED, configDir: first.configDir });
    expect(next.stderr).not.toContain("claudemesh collects anonymous usage data");
  });
});
