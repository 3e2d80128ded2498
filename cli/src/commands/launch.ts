import { Command, Option } from "commander";
import type { CliContext } from "../context.js";
import { returnsStatus } from "../exit-status.js";
import { LocalizedError } from "../i18n/language.js";
import { type LaunchOptions, runLaunch } from "../launch/run-launch.js";

/**
 * `claudemesh launch [--mesh <slug>] [--name] [--role] [-y] [-- claude args]`: Claude Code, in
 * the mesh. Bare at a terminal, the wizard's path (sign in, pick a mesh, name, role, launch).
 */
export function launchCommand(ctx: CliContext): Command {
  const { t } = ctx;
  return (
    new Command("launch")
      .description(t.launch.description)
      .option("--mesh <slug>", t.launch.mesh)
      .option("--name <name>", t.launch.name)
      .option("--role <role>", t.launch.role)
      .option("-y, --yes", t.launch.yes)
      // Taken only to be refused with the way to do it instead (commander would say "unknown option").
      .addOption(new Option("--token <token>").hideHelp())
      .argument("[claude-args...]", t.launch.claudeArgs)
      .action(returnsStatus((claudeArgs: string[], options: LaunchOptions) => launchOrWizard(options, claudeArgs, ctx)))
  );
}

/** `--mesh` launches; without it a terminal gets the wizard's launch path. */
export async function launchOrWizard(options: LaunchOptions, claudeArgs: string[], ctx: CliContext): Promise<number> {
  if (options.token !== undefined) throw new LocalizedError("invalid_input", ctx.t.launch.noTokenFlag);
  if (options.mesh !== undefined) return runLaunch({ ...options, mesh: options.mesh }, claudeArgs, ctx);
  if (!ctx.out.io.isTTY || !ctx.out.io.stdinIsTTY) {
    throw new LocalizedError("invalid_input", ctx.t.launch.nameTheMesh);
  }
  const { runWizard } = await import("../wizard/run-wizard.js");
  return runWizard(ctx, { options, claudeArgs });
}
