import { ClaudemeshError, isAuthError } from "@claudemesh/sdk";
import { Command } from "commander";
import type { CliContext } from "../context.js";
import { authenticatedApi, authFailureHint, describeSource, describeStore, requireCredential } from "../credentials.js";
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
  const others = await otherServers(ctx);
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
            other_servers: others,
          },
          null,
          2,
        ),
      );
    } else {
      ctx.out.success(ctx.t.auth.signedIn(ctx.apiUrl(), me.user.name, me.user.email));
      ctx.out.say(ctx.t.auth.withCredential(describeCredential(me, ctx.t), describeSource(credential, ctx)));
      sayOtherServers(others, ctx);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof ClaudemeshError) || !isAuthError(error)) throw error;
    if (options.json) {
      ctx.out.print(
        JSON.stringify({ signed_in: false, api_url: ctx.apiUrl(), reason: error.code, other_servers: others }, null, 2),
      );
    } else {
      const why = error.code === "auth_required" ? "" : errorText(error, ctx.t);
      ctx.out.failure(ctx.t.auth.notSignedIn(ctx.apiUrl(), why), authFailureHint(error, ctx, []));
      sayOtherServers(others, ctx);
    }
    return error.exitStatus;
  }
}

/** A login saved for another server than the one in use, as `auth status` lists it (never the token). */
interface OtherServer {
  api_url: string;
  user: { id: string; name: string; email: string };
  token_store: "keychain" | "file";
}

/** The logins saved for other servers; none when auth.json cannot be read (the check below says why). */
async function otherServers(ctx: CliContext): Promise<OtherServer[]> {
  try {
    const servers = await ctx.store().servers();
    return servers
      .filter((server) => !server.in_use)
      .map(({ api_url, user, token_store }) => ({ api_url, user, token_store }));
  } catch (error) {
    if (error instanceof ClaudemeshError) return [];
    throw error;
  }
}

function sayOtherServers(others: OtherServer[], ctx: CliContext): void {
  if (others.length === 0) return;
  const { t } = ctx;
  ctx.out.say(t.auth.otherServers);
  for (const { api_url, user, token_store } of others) {
    ctx.out.say(t.auth.savedLogin(api_url, user.name, user.email, describeStore(token_store, ctx)));
  }
  ctx.out.say(ctx.out.dim(t.auth.useOther));
}
