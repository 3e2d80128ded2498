import { describe, it } from "vitest";
import { type CommandCase, runCase } from "./testing/command-table.js";

// The program around the commands: what bare `claudemesh`, typos, --help and --version do.
const cases: CommandCase[] = [
  {
    name: "bare, without a terminal: the help on stderr, exit 1 (nobody to answer the wizard)",
    args: [],
    wantStatus: 1,
    stdoutIs: "",
    wantStderr: ["Usage: claudemesh", "launch"],
  },
  {
    name: "a typo: exit 1 with the command meant",
    args: ["whoam"],
    wantStatus: 1,
    wantStderr: ["✘ unknown command 'whoam'. Did you mean 'whoami'?", "Run `claudemesh --help` to see every command."],
  },
  {
    name: "--help: exit 0, on stdout",
    args: ["--help"],
    wantStatus: 0,
    wantStdout: ["Usage: claudemesh", "whoami"],
  },
  {
    name: "--version: exit 0",
    args: ["--version"],
    wantStatus: 0,
    stdoutIs: "0.0.0-test\n",
  },
  {
    name: "a nested command's --help: exit 0, not process.exit",
    args: ["tokens", "create", "--help"],
    wantStatus: 0,
    wantStdout: ["Usage: claudemesh tokens create", "--expires-in"],
  },
];

describe("claudemesh (the program)", () => {
  it.each(cases)("$name", runCase);
});
