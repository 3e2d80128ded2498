import { ClaudemeshError, isAuthError } from "@claudemesh/sdk";
import { Command } from "commander";
import type { CliContext } from "../context.js";
import { authenticatedApi, authFailureHint, describeSource, requireCredential } from "../credentials.js";
import { returnsStatus } from "../exit-status.js";
import { errorText } from "../i18n/language.js";
import { loginCommand } from "./login.js";
import { logoutCommand } from "./logout.js";
import { describeCredential } from "./whoami.js";

/** `claudemesh auth status|token|login|logout`, as `gh auth` has them. */
export function authCommand(ctx: CliContext): Command {
  const { t } = ctx;
  return new Command("auth")
    .description(t.auth.description)
    .addCommand(
      new Command("status")
        .description(t.auth.status)
        .option("--json", t.whoami.json)
        .action(returnsStatus((options: { json?: boolean }) => runAuthStatus(options, ctx))),
    )
    .addCommand(new Command("token").description(t.auth.token).action(returnsStatus(() => runAuthToken(ctx))))
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
      ctx.out.success(ctx.t.auth.signedIn(ctx.apiUrl(), me.user.name, me.user.email));
      ctx.out.say(ctx.t.auth.withCredential(describeCredential(me, ctx.t), describeSource(credential, ctx)));
    }
    return 0;
  } catch (error) {
    if (!(error instanceof ClaudemeshError) || !isAuthError(error)) throw error;
    if (options.json) {
      ctx.out.print(JSON.stringify({ signed_in: false, api_url: ctx.apiUrl(), reason: error.code }, null, 2));
    } else {
      const why = error.code === "auth_required" ? "" : errorText(error, ctx.t);
      ctx.out.failure(ctx.t.auth.notSignedIn(ctx.apiUrl(), why), authFailureHint(error, ctx, []));
    }
    return error.exitStatus;
  }
}
