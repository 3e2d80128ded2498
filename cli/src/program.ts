import { validateWithoutCodegen } from "@claudemesh/sdk";
import { ClaudemeshError, ExitStatus, isAuthError } from "@claudemesh/sdk/errors";
import { redactTokens } from "@claudemesh/sdk/token";
import { Command, CommanderError, Option } from "commander";
import { authCommand } from "./commands/auth.js";
import { blockCommand } from "./commands/block.js";
import { completionCommand } from "./commands/completion.js";
import { createCommand } from "./commands/create.js";
import { grantCommand } from "./commands/grant.js";
import { grantsCommand } from "./commands/grants.js";
import { inboxCommand } from "./commands/inbox.js";
import { inviteCommand } from "./commands/invite.js";
import { joinCommand } from "./commands/join.js";
import { launchCommand } from "./commands/launch.js";
import { listCommand } from "./commands/list.js";
import { loginCommand, runLogin } from "./commands/login.js";
import { logoutCommand } from "./commands/logout.js";
import { mcpCommand } from "./commands/mcp.js";
import { peersCommand } from "./commands/peers.js";
import { revokeCommand } from "./commands/revoke.js";
import { sendCommand } from "./commands/send.js";
import { sessionsCommand } from "./commands/sessions.js";
import { syncCommand } from "./commands/sync.js";
import { telemetryCommand } from "./commands/telemetry.js";
import { tokensCommand } from "./commands/tokens.js";
import { unblockCommand } from "./commands/unblock.js";
import { whoamiCommand } from "./commands/whoami.js";
import { type CliContext, createContext, useLanguage } from "./context.js";
import { authFailureHint } from "./credentials.js";
import { closestName } from "./did-you-mean.js";
import { returnsStatus, statusOf } from "./exit-status.js";
import { speakCommander } from "./i18n/commander.js";
import { errorHint, errorText, languageFlag, pickLanguage } from "./i18n/language.js";

declare const CLAUDEMESH_VERSION: string;

/** Builds the `claudemesh` program; each command lives in commands/<name>.ts. */
export function buildProgram(ctx: CliContext): Command {
  const output = {
    writeErr: (text: string) => ctx.out.io.stderr.write(redactTokens(text)),
    writeOut: (text: string) => ctx.out.io.stdout.write(text),
  };
  const { t } = ctx;
  const program = new Command("claudemesh")
    .description(t.program.description)
    .version(CLAUDEMESH_VERSION, "-v, --version", t.program.version)
    // Read before parsing (see run()); declared so commander accepts it and --help lists it.
    .addOption(new Option("--lang <language>", t.program.lang))
    .showHelpAfterError(t.program.helpAfterError)
    .configureOutput(output)
    .exitOverride()
    // A word that is no command reaches the bare action as an argument, never the wizard.
    .allowExcessArguments(true)
    .action(returnsStatus((): Promise<number> => runBare(program, ctx)))
    // The command's own name (never its arguments) is what telemetry may know of it.
    .hook("preAction", (_program, action) => {
      ctx.tokenFlag = takesTokenFlag(action) ? action.opts<{ token?: string }>().token : undefined;
      const path: string[] = [];
      for (let command: Command | null = action; command && command !== program; command = command.parent) {
        path.unshift(command.name());
      }
      ctx.telemetry.command = path.join(" ");
    });
  for (const command of [
    loginCommand(ctx),
    logoutCommand(ctx),
    whoamiCommand(ctx),
    authCommand(ctx),
    sessionsCommand(ctx),
    tokensCommand(ctx),
    createCommand(ctx),
    listCommand(ctx),
    syncCommand(ctx),
    inviteCommand(ctx),
    joinCommand(ctx),
    launchCommand(ctx),
    mcpCommand(ctx),
    peersCommand(ctx),
    sendCommand(ctx),
    inboxCommand(ctx),
    grantsCommand(ctx),
    grantCommand(ctx),
    // A command of its own (grants); `sessions revoke` and `tokens revoke` are subcommands, so no clash.
    revokeCommand(ctx),
    blockCommand(ctx),
    unblockCommand(ctx),
    telemetryCommand(ctx),
    completionCommand(ctx, () => program),
  ]) {
    program.addCommand(command);
  }
  // Nested commands (`tokens create`) too: usage errors come back as a status and go to ctx's streams, never process.exit.
  for (const command of allCommands(program)) command.exitOverride().configureOutput(output);
  for (const command of leafCommands(program)) {
    if (takesTokenFlag(command)) command.option("--token <token>", t.program.token);
  }
  speakCommander(program, t, output);
  return program;
}

// Seed 003's resolution (--token > CLAUDEMESH_TOKEN > saved login) holds on every command that talks
// to the server. Not on login (its own --token signs in with it), logout (it ends the saved login),
// launch and mcp (Claude Code's tools use the saved login, and argv is every local user's to read), or the
// ones that never call the server.
const TOKEN_FLAG_EXEMPT = new Set(["login", "logout", "launch", "mcp", "telemetry", "completion"]);

/** Whether `--token` chooses the credential of this command (`auth login` is login too). */
function takesTokenFlag(command: Command): boolean {
  let top = command;
  while (top.parent?.parent) top = top.parent;
  return !TOKEN_FLAG_EXEMPT.has(command.name()) && !TOKEN_FLAG_EXEMPT.has(top.name());
}

function allCommands(parent: Command): Command[] {
  return parent.commands.flatMap((command) => [command, ...allCommands(command)]);
}

/** The commands that run something, nested ones included (`tokens create`, not `tokens`). */
function leafCommands(parent: Command): Command[] {
  return parent.commands.flatMap((command) => (command.commands.length > 0 ? leafCommands(command) : [command]));
}

/** Bare `claudemesh`: the wizard at a terminal; a word that is no command gets a suggestion. */
async function runBare(program: Command, ctx: CliContext): Promise<number> {
  const [typed] = program.args;
  if (typed !== undefined) {
    const meant = closestName(
      typed,
      program.commands.map((command) => command.name()),
    );
    ctx.out.failure(ctx.t.program.unknownCommand(typed, meant), ctx.t.program.seeEveryCommand);
    return ExitStatus.failure;
  }
  // Bare `claudemesh`: the wizard at a terminal; elsewhere there is nobody to answer it.
  if (!ctx.out.io.isTTY || !ctx.out.io.stdinIsTTY) {
    program.outputHelp({ error: true });
    return ExitStatus.failure;
  }
  const { runWizard } = await import("./wizard/run-wizard.js");
  return runWizard(ctx);
}

/** Runs one command line and reports it (if telemetry is on); resolves with the exit status. */
export async function run(argv: string[], ctx: CliContext = createContext()): Promise<number> {
  validateWithoutCodegen();
  const lang = languageFlag(argv.slice(2));
  if (lang !== undefined) useLanguage(ctx, pickLanguage(lang, ctx.processEnv));
  const started = performance.now();
  const subject = argv[2];
  if (subject !== "telemetry" && subject !== "completion" && (await ctx.telemetry.takeNotice().catch(() => false))) {
    ctx.out.say(ctx.out.dim(ctx.t.telemetry.notice));
  }
  const status = await execute(argv, ctx, false);
  if (ctx.telemetry.command) {
    ctx.telemetry.record("cli.command.executed", {
      command: ctx.telemetry.command,
      exit_code: status,
      duration_ms: Math.round(performance.now() - started),
    });
  }
  await ctx.telemetry.dispatch().catch(() => {});
  return status;
}

async function execute(argv: string[], ctx: CliContext, retried: boolean): Promise<number> {
  try {
    const program = buildProgram(ctx);
    await program.parseAsync(argv);
    return statusOf(program);
  } catch (error) {
    // --help and --version end through exitOverride with their own (zero) code.
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof ClaudemeshError) {
      ctx.telemetry.record("cli.api.error", { code: error.code });
      const offer = !retried && isAuthError(error) ? await offerSignIn(error, argv, ctx) : "not_offered";
      if (offer === "signed_in") return execute(argv, ctx, true);
      if (offer === "not_offered") {
        ctx.out.failure(errorText(error, ctx.t, ctx.apiUrl()), authFailureHint(error, ctx, argv));
      }
      return typeof offer === "number" ? offer : error.exitStatus;
    }
    ctx.out.failure(errorText(error, ctx.t));
    if (ctx.processEnv.CLAUDEMESH_DEBUG) console.error(error);
    return ExitStatus.failure;
  }
}

/**
 * Seed 000: when the saved credential stops working mid-command at a
 * terminal, offer to sign in again and then run the command once more.
 * Not for scripts (no TTY), not when --token or CLAUDEMESH_TOKEN chose the
 * token (a new login would not change it), and not for the auth commands.
 */
async function offerSignIn(
  error: ClaudemeshError,
  argv: string[],
  ctx: CliContext,
): Promise<"not_offered" | "declined" | "signed_in" | number> {
  const { io } = ctx.out;
  const command = argv[2];
  const chosenElsewhere =
    ctx.env.token !== undefined || argv.some((arg) => arg === "--token" || arg.startsWith("--token="));
  if (
    !io.isTTY ||
    !io.stdinIsTTY ||
    chosenElsewhere ||
    command === "login" ||
    command === "logout" ||
    command === "auth"
  ) {
    return "not_offered";
  }
  const { t } = ctx;
  ctx.out.failure(errorText(error, t, ctx.apiUrl()));
  // Nobody was signed in: "again" would be wrong.
  const question = error.code === "auth_required" ? t.program.signInNow : t.program.signInAgain;
  if (!(await ctx.prompts.yesNo(question))) {
    ctx.out.say(`\n${errorHint(error.code, t) ?? ""}`);
    return "declined";
  }
  try {
    return (await runLogin({ force: true, nextSteps: false }, ctx)) === ExitStatus.ok ? "signed_in" : "declined";
  } catch (loginError) {
    if (!(loginError instanceof ClaudemeshError)) throw loginError;
    ctx.out.failure(errorText(loginError, t), errorHint(loginError.code, t));
    return loginError.exitStatus; // e.g. 130 when the new sign-in was cancelled
  }
}
