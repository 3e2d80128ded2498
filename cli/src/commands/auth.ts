import { ClaudemeshError, isAuthError } from "@claudemesh/sdk";
import { Command } from "commander";
import type { CliContext } from "../context.js";
import { authenticatedApi, authFailureHint, describeSource, requireCredential } from "../credentials.js";
import { returnsStatus } from "../exit-status.js";
import { loginCommand } from "./login.js";
import { logoutCommand } from "./logout.js";
import { describeCredential } from "./whoami.js";

/** `claudemesh auth status|token|login|logout`, as `gh auth` has them. */
export function authCommand(ctx: CliContext): Command {
  return new Command("auth")
    .description("sign in, sign out and check your credentials")
    .addCommand(
      new Command("status")
        .description("check the saved credential with the server (exit 0 signed in, 2 not)")
        .option("--json", "print JSON (never includes the token)")
        .action(returnsStatus((options: { json?: boolean }) => runAuthStatus(options, ctx))),
    )
    .addCommand(
      new Command("token")
        .description("print the token in use, for scripts")
        .action(returnsStatus(() => runAuthToken(ctx))),
    )
    .addCommand(loginCommand(ctx))
    .addCommand(logoutCommand(ctx));
}

export async function runAuthToken(ctx: CliContext): Promise<number> {
  const credential = await requireCredential(ctx);
  ctx.out.print(credential.token);
  return 0;
}

export async function runAuthStatus(options: { json?: boolean }, ctx: CliContext): Promise<number> {
  try {
    const { api, credential } = await authenticatedApi(ctx);
    const me = await api.whoami();
    if (options.json) {
      ctx.out.print(
        JSON.stringify(
          {
            signed_in: true,
            api_url: ctx.apiUrl(),
            user: me.user,
            credential: { ...me.credential, source: credential.source },
          },
          null,
          2,
        ),
      );
    } else {
      ctx.out.success(`Signed in to ${ctx.apiUrl()} as ${me.user.name} <${me.user.email}>`);
      ctx.out.say(`  with a ${describeCredential(me)} from ${describeSource(credential, ctx)}`);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof ClaudemeshError) || !isAuthError(error)) throw error;
    if (options.json) {
      ctx.out.print(JSON.stringify({ signed_in: false, api_url: ctx.apiUrl(), reason: error.code }, null, 2));
    } else {
      const why = error.code === "auth_required" ? "." : `: ${error.message}`;
      ctx.out.failure(`Not signed in to ${ctx.apiUrl()}${why}`, authFailureHint(error, ctx, []));
    }
    return error.exitStatus;
  }
}
