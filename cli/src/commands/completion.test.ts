import { describe, it } from "vitest";
import { type CommandCase, runCase } from "../testing/command-table.js";

const cases: CommandCase[] = [
  {
    name: "bash: a completion function over every command, nested ones included",
    args: ["completion", "bash"],
    wantStatus: 0,
    wantStdout: ["_claudemesh() {", "    tokens)", "create) words=", "--name", "complete -F _claudemesh claudemesh"],
    wantSent: [],
  },
  {
    name: "bash: the mesh commands with their flags; top-level revoke (grants) beside sessions revoke and tokens revoke",
    args: ["completion", "bash"],
    wantStatus: 0,
    wantStdout: [
      "    sessions)",
      '        revoke) words="--token --help" ;;',
      '    peers) words="--mesh --json --token --help" ;;',
      '    send) words="--mesh --json --token --help" ;;',
      '    inbox) words="--mesh --json --token --help" ;;',
      '    grants) words="--mesh --json --token --help" ;;',
      '    grant) words="--mesh --token --help" ;;',
      '    revoke) words="--mesh --token --help" ;;',
      '    block) words="--mesh --token --help" ;;',
      '    unblock) words="--mesh --token --help" ;;',
    ],
  },
  {
    name: "zsh: the bash function through bashcompinit",
    args: ["completion", "zsh"],
    tty: true,
    wantStatus: 0,
    wantStdout: ["autoload -U +X bashcompinit && bashcompinit", "_claudemesh() {"],
  },
  {
    name: "fish: one line per command and flag, with descriptions",
    args: ["completion", "fish"],
    wantStatus: 0,
    wantStdout: ["complete -c claudemesh -f", "-a whoami -d 'show who you are signed in as'", "-l json"],
  },
  {
    name: "an unknown shell: exit 1 with the choices",
    args: ["completion", "pwsh"],
    wantStatus: 1,
    stdoutIs: "",
    wantStderr: ['✘ Unknown shell "pwsh"; choose bash, zsh, fish.'],
  },
  {
    name: "no shell: commander's usage error, exit 1",
    args: ["completion"],
    wantStatus: 1,
    wantStderr: ["missing required argument 'shell'"],
  },
];

describe("claudemesh completion", () => {
  it.each(cases)("$name", runCase);
});
