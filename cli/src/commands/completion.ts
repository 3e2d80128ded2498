import { Command } from "commander";
import type { CliContext } from "../context.js";
import { returnsStatus } from "../exit-status.js";
import { LocalizedError } from "../i18n/language.js";

const SHELLS = ["bash", "zsh", "fish"] as const;
type Shell = (typeof SHELLS)[number];

/** `claudemesh completion bash|zsh|fish`: a completion script made from the commands themselves. */
export function completionCommand(ctx: CliContext, program: () => Command): Command {
  const { t } = ctx;
  return new Command("completion")
    .description(t.completion.description)
    .argument("<shell>", SHELLS.join(", "))
    .addHelpText(
      "after",
      `\n${t.completion.install}\n  bash: claudemesh completion bash >> ~/.bashrc\n  zsh:  claudemesh completion zsh >> ~/.zshrc\n  fish: claudemesh completion fish > ~/.config/fish/completions/claudemesh.fish`,
    )
    .action(returnsStatus((shell: string) => runCompletion(shell, program(), ctx)));
}

export function runCompletion(shell: string, program: Command, ctx: CliContext): number {
  if (!SHELLS.includes(shell as Shell)) {
    throw new LocalizedError("invalid_input", ctx.t.completion.unknownShell(shell, SHELLS.join(", ")));
  }
  ctx.out.print(completionScript(shell as Shell, program));
  return 0;
}

interface Entry {
  name: string;
  description: string;
  options: string[];
  subcommands: Entry[];
}

function describe(command: Command): Entry {
  return {
    name: command.name(),
    description: command.description(),
    options: command.options.flatMap((option) => [option.long, option.short].filter((flag): flag is string => !!flag)),
    subcommands: command.commands.filter((sub) => sub.name() !== "help").map(describe),
  };
}

export function completionScript(shell: Shell, program: Command): string {
  const root = describe(program);
  if (shell === "fish") return fish(root);
  const bash = bashFunction(root);
  // zsh runs the same function through its bash compatibility layer.
  return shell === "zsh" ? `autoload -U +X bashcompinit && bashcompinit\n${bash}` : bash;
}

function bashFunction(root: Entry): string {
  const words = (entry: Entry) => [...entry.subcommands.map((sub) => sub.name), ...entry.options, "--help"].join(" ");
  const cases = root.subcommands
    .map((command) => {
      if (command.subcommands.length === 0) return `    ${command.name}) words="${words(command)}" ;;`;
      const inner = command.subcommands.map((sub) => `        ${sub.name}) words="${words(sub)}" ;;`).join("\n");
      return `    ${command.name})\n      case "\${COMP_WORDS[2]}" in\n${inner}\n        *) words="${words(command)}" ;;\n      esac ;;`;
    })
    .join("\n");
  return `_claudemesh() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" words
  if [ "$COMP_CWORD" -eq 1 ]; then
    words="${words(root)}"
  else
    case "\${COMP_WORDS[1]}" in
${cases}
    *) words="" ;;
    esac
  fi
  COMPREPLY=( $(compgen -W "$words" -- "$cur") )
}
complete -F _claudemesh claudemesh`;
}

function fish(root: Entry): string {
  const quote = (text: string) => `'${text.replace(/'/g, "\\'")}'`;
  const lines = ["complete -c claudemesh -f"];
  const top = root.subcommands.map((command) => command.name).join(" ");
  for (const command of root.subcommands) {
    lines.push(
      `complete -c claudemesh -n 'not __fish_seen_subcommand_from ${top}' -a ${command.name} -d ${quote(command.description)}`,
    );
    const inCommand = `__fish_seen_subcommand_from ${command.name}`;
    const subs = command.subcommands.map((sub) => sub.name).join(" ");
    for (const sub of command.subcommands) {
      lines.push(
        `complete -c claudemesh -n '${inCommand}; and not __fish_seen_subcommand_from ${subs}' -a ${sub.name} -d ${quote(sub.description)}`,
      );
      for (const option of sub.options.filter((flag) => flag.startsWith("--"))) {
        lines.push(
          `complete -c claudemesh -n '${inCommand}; and __fish_seen_subcommand_from ${sub.name}' -l ${option.slice(2)}`,
        );
      }
    }
    for (const option of command.options.filter((flag) => flag.startsWith("--"))) {
      lines.push(`complete -c claudemesh -n '${inCommand}' -l ${option.slice(2)}`);
    }
  }
  return lines.join("\n");
}
