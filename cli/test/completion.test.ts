import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { runCli } from "@claudemesh/test-support/run-cli";
import { CLI_BUNDLE } from "@claudemesh/test-support/workspace";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

/** What bash offers after typing `words` (the last one partial), using the generated script. */
async function bashCompletes(...words: string[]): Promise<string[]> {
  const script = `
    source <("${CLI_BUNDLE}" completion bash)
    COMP_WORDS=(claudemesh ${words.map((word) => `"${word}"`).join(" ")})
    COMP_CWORD=${words.length}
    _claudemesh
    printf '%s\\n' "\${COMPREPLY[@]}"`;
  const { stdout } = await run("bash", ["-c", script], { env: { PATH: process.env.PATH ?? "" } });
  return stdout.split("\n").filter(Boolean);
}

describe("claudemesh completion", () => {
  it("bash completes commands, subcommands and options", async () => {
    expect(await bashCompletes("to")).toEqual(["tokens"]);
    expect(await bashCompletes("tokens", "")).toEqual(["create", "list", "revoke", "--help"]);
    expect(await bashCompletes("tokens", "create", "--ex")).toEqual(["--expires-in"]);
    expect(await bashCompletes("login", "--w")).toEqual(["--web", "--with-token"]);
    expect(await bashCompletes("login", "--no-")).toEqual(["--no-browser", "--no-wait"]);
    expect(await bashCompletes("auth", "st")).toEqual(["status"]);
  });

  it("zsh reuses the bash function through bashcompinit; fish gets its own complete lines", async () => {
    const zsh = await runCli(["completion", "zsh"], {});
    expect(zsh.stdout.startsWith("autoload -U +X bashcompinit && bashcompinit\n_claudemesh() {")).toBe(true);
    const fish = await runCli(["completion", "fish"], {});
    expect(fish.stdout).toContain(
      "complete -c claudemesh -n '__fish_seen_subcommand_from tokens; and not __fish_seen_subcommand_from create list revoke' -a create",
    );
    expect(fish.stdout).toContain("complete -c claudemesh -n '__fish_seen_subcommand_from login' -l web");
  });

  it("an unknown shell exits 1 and names the choices", async () => {
    const result = await runCli(["completion", "powershell"], {});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Unknown shell "powershell"; choose bash, zsh, fish.');
  });
});

describe("a reader that closes the pipe early", () => {
  it("ends the command quietly with its own status, not an EPIPE stack", async () => {
    // The reader closes its end at once; everything claudemesh then writes meets a closed pipe.
    const script = `"${CLI_BUNDLE}" completion bash | (exec 0<&-; sleep 0.5); echo "status=\${PIPESTATUS[0]}" >&2`;
    const { stderr } = await run("bash", ["--norc", "--noprofile", "-c", script], {
      env: { PATH: process.env.PATH ?? "" },
    });
    expect(stderr).toContain("status=0");
    expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
  });
});
