import { type Command, Help, type OutputConfiguration } from "commander";
import type { Messages } from "./en.js";

type CommanderWords = Messages["commander"];

// commander builds its error messages in English with no key to look up, so
// they are recognised by their fixed wording (commander 14, lib/command.js).
const COMMANDER_ERRORS: readonly [RegExp, (words: CommanderWords, ...values: string[]) => string][] = [
  [/^error: unknown option '(.*)'$/, (words, flag = "") => words.unknownOption(flag)],
  [/^error: missing required argument '(.*)'$/, (words, name = "") => words.missingArgument(name)],
  [/^error: option '(.*)' argument missing$/, (words, flags = "") => words.optionMissingArgument(flags)],
  [/^error: required option '(.*)' not specified$/, (words, flags = "") => words.missingMandatoryOption(flags)],
  [
    /^error: option '(.*)' argument '(.*)' is invalid\. Allowed choices are (.*)\.$/,
    (words, flags = "", value = "", choices = "") => words.invalidChoice(flags, value, choices),
  ],
  [
    /^error: too many arguments for '(.*)'\. Expected (\d+) arguments? but got (\d+)\.$/,
    (words, command = "", expected = "0", received = "0") =>
      words.excessArguments(command, Number(expected), Number(received)),
  ],
  [/^\(Did you mean (.*)\?\)$/, (words, flag = "") => words.didYouMean(flag)],
];

/** One of commander's error lines in the chosen language; a line it does not know stays as it is. */
export function translateCommanderLine(line: string, words: CommanderWords): string {
  for (const [pattern, say] of COMMANDER_ERRORS) {
    const match = pattern.exec(line);
    if (match) return say(words, ...match.slice(1));
  }
  return line;
}

/** commander's `[options]` and `[command]` in a usage line, in our words. */
function localizeUsage(usage: string, words: CommanderWords): string {
  return usage.replace(/\[(?:options|command)\]/g, (placeholder) => words.usage[placeholder] ?? placeholder);
}

/** commander's help extras, `(default: "7d")` and `(choices: …)`, in our words. */
function localizeExtras(description: string, words: CommanderWords): string {
  return description
    .replace(/\((choices|default): /g, (_, which: "choices" | "default") => `(${words[which]}: `)
    .replace(/, default: /, `, ${words.default}: `);
}

/**
 * Makes every command of the program speak the catalogue's language in what
 * commander itself prints: help titles and extras, the help option and help
 * command, and its errors; and write through the CLI's output.
 */
export function speakCommander(root: Command, t: Messages, output: OutputConfiguration): void {
  const words = t.commander;
  const configured: OutputConfiguration = {
    ...output,
    outputError: (text, write) =>
      write(
        text
          .split("\n")
          .map((line) => translateCommanderLine(line, words))
          .join("\n"),
      ),
  };
  const visit = (command: Command) => {
    command
      .configureOutput(configured)
      .helpOption("-h, --help", t.program.help)
      .configureHelp({
        styleTitle: (title) => words.titles[title] ?? title,
        optionDescription(option) {
          return localizeExtras(Help.prototype.optionDescription.call(this, option), words);
        },
        commandUsage(cmd) {
          return localizeUsage(Help.prototype.commandUsage.call(this, cmd), words);
        },
        subcommandTerm(cmd) {
          return localizeUsage(Help.prototype.subcommandTerm.call(this, cmd), words);
        },
      });
    // Only where commander would add one itself: a command with subcommands and no action of its own.
    if (command !== root && command.commands.length > 0) command.helpCommand("help [command]", t.program.helpCommand);
    for (const sub of command.commands) visit(sub);
  };
  visit(root);
}
