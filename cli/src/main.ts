import { ExitStatus } from "@claudemesh/sdk/errors";
import { Command, CommanderError } from "commander";

declare const CLAUDEMESH_VERSION: string;

/** Builds the `claudemesh` program; commands arrive one file each under commands/. */
export function buildProgram(): Command {
  return new Command("claudemesh")
    .description("Sign in to claudemesh from your terminal.")
    .version(CLAUDEMESH_VERSION, "-v, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .showHelpAfterError("(run `claudemesh --help` for usage)")
    .exitOverride();
}

async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return ExitStatus.ok;
  } catch (error) {
    // --help and --version end through exitOverride with their own (zero) code.
    if (error instanceof CommanderError) return error.exitCode;
    process.stderr.write(`✘ ${error instanceof Error ? error.message : String(error)}\n`);
    return ExitStatus.failure;
  }
}

process.exitCode = await main(process.argv);
