import { ClaudemeshError, ExitStatus } from "@claudemesh/sdk/errors";
import { Command, CommanderError } from "commander";
import { authCommand } from "./commands/auth.js";
import { completionCommand } from "./commands/completion.js";
import { loginCommand } from "./commands/login.js";
import { logoutCommand } from "./commands/logout.js";
import { sessionsCommand } from "./commands/sessions.js";
import { tokensCommand } from "./commands/tokens.js";
import { whoamiCommand } from "./commands/whoami.js";
import { type CliContext, createContext } from "./context.js";

declare const CLAUDEMESH_VERSION: string;

/** Builds the `claudemesh` program; each command lives in commands/<name>.ts. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command("claudemesh")
    .description("Sign in to claudemesh from your terminal.")
    .version(CLAUDEMESH_VERSION, "-v, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .showHelpAfterError("(run `claudemesh --help` for usage)")
    .configureOutput({
      writeErr: (text) => ctx.out.io.stderr.write(text),
      writeOut: (text) => ctx.out.io.stdout.write(text),
    })
    .exitOverride();
  for (const command of [
    loginCommand(ctx),
    logoutCommand(ctx),
    whoamiCommand(ctx),
    authCommand(ctx),
    sessionsCommand(ctx),
    tokensCommand(ctx),
    completionCommand(ctx, () => program),
  ]) {
    program.addCommand(command.exitOverride());
  }
  return program;
}

/** Runs one command line; resolves with the exit status. */
export async function run(argv: string[]): Promise<number> {
  const ctx = createContext();
  try {
    await buildProgram(ctx).parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : ExitStatus.ok;
  } catch (error) {
    // --help and --version end through exitOverride with their own (zero) code.
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof ClaudemeshError) {
      ctx.out.failure(error.message, error.hint);
      return error.exitStatus;
    }
    ctx.out.failure(error instanceof Error ? error.message : String(error));
    if (process.env.CLAUDEMESH_DEBUG) console.error(error);
    return ExitStatus.failure;
  }
}
