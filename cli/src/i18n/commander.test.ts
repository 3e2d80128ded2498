import { Command, CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { speakCommander, translateCommanderLine } from "./commander.js";
import { en } from "./en.js";
import { es } from "./es.js";

/** Parses `args` with a small program that speaks `t`'s language; returns what commander wrote to stderr. */
function commanderSays(args: string[], t = es): string {
  let written = "";
  const program = new Command("claudemesh").exitOverride();
  program.addCommand(
    new Command("create")
      .argument("<name>")
      .option("--slug <slug>")
      .option("--json")
      .action(() => {}),
  );
  program.addCommand(new Command("tokens").addCommand(new Command("list").action(() => {})));
  for (const command of program.commands) command.exitOverride();
  speakCommander(program, t, { writeErr: (text) => (written += text), writeOut: (text) => (written += text) });
  try {
    program.parse(args, { from: "user" });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
  }
  return written;
}

describe("commander in the chosen language", () => {
  it.each([
    [["create", "x", "--jsno"], "error: opción desconocida '--jsno'\n(¿Quisiste decir --json?)\n"],
    [["create"], "error: falta el argumento obligatorio 'name'\n"],
    [["create", "x", "--slug"], "error: a la opción '--slug <slug>' le falta su valor\n"],
    [["create", "x", "y"], "error: demasiados argumentos para 'create'. Se esperaba 1 argumento y se recibieron 2.\n"],
  ])("%j → %j", (args, said) => {
    expect(commanderSays(args)).toBe(said);
  });

  it("leaves commander's English as it is in English", () => {
    expect(commanderSays(["create", "x", "--jsno"], en)).toBe(
      "error: unknown option '--jsno'\n(Did you mean --json?)\n",
    );
  });

  it("titles help and names the help command in the language", () => {
    const help = commanderSays(["tokens", "--help"]);
    expect(help).toMatch(/^Uso: claudemesh tokens \[opciones\] \[comando\]\n/);
    expect(commanderSays(["--help"])).toContain("  create [opciones] <name>");
    expect(help).toContain("Comandos:");
    expect(help).toContain("muestra la ayuda de un comando");
    expect(help).not.toMatch(/display help|Usage:|Options:|Commands:/);
  });

  it("keeps a line it does not know", () => {
    expect(translateCommanderLine("error: something new", es.commander)).toBe("error: something new");
  });
});
