import type { SessionList, TokenSource, Whoami } from "@claudemesh/sdk";
import { Command } from "commander";
import type { CliContext } from "../context.js";
import { authenticatedApi, describeSource } from "../credentials.js";
import { returnsStatus } from "../exit-status.js";
import { deviceLabel, formatDate, lastUsed } from "../format.js";

export interface WhoamiOptions {
  sessions?: boolean;
  json?: boolean;
}

/** `claudemesh whoami [--sessions] [--json]`: who the server says you are, and with which credential. */
export function whoamiCommand(ctx: CliContext): Command {
  return new Command("whoami")
    .description("show who you are signed in as")
    .option("--sessions", "also list every device signed in to your account")
    .option("--json", "print JSON (never includes the token)")
    .action(returnsStatus((options: WhoamiOptions) => runWhoami(options, ctx)));
}

export async function runWhoami(options: WhoamiOptions, ctx: CliContext): Promise<number> {
  const { api, credential } = await authenticatedApi(ctx);
  const me = await api.whoami();
  const sessions = options.sessions ? await api.listSessions() : undefined;

  if (options.json) {
    ctx.out.print(JSON.stringify(whoamiJson(me, credential.source, ctx.apiUrl(), sessions), null, 2));
    return 0;
  }
  const { out } = ctx;
  out.print(`${out.bold(me.user.name)} <${me.user.email}>`);
  out.print(`  Credential: ${describeCredential(me)} (from ${describeSource(credential, ctx)})`);
  out.print(`  Expires:    ${me.credential.expires_at ? formatDate(me.credential.expires_at) : "never"}`);
  out.print(`  Server:     ${ctx.apiUrl()}`);
  if (sessions) {
    out.print("");
    out.print(sessions.sessions.length === 0 ? "No CLI sessions." : "CLI sessions:");
    for (const session of sessions.sessions) {
      out.print(
        `  ${session.current ? "*" : " "} ${deviceLabel(session)}  ${out.dim(`${lastUsed(session)}, id ${session.id}`)}`,
      );
    }
  }
  return 0;
}

/** The stable `--json` shape of whoami; `source` is flag, env, keychain or file. */
export function whoamiJson(me: Whoami, source: TokenSource, apiUrl: string, sessions?: SessionList) {
  return {
    user: me.user,
    credential: { ...me.credential, source },
    api_url: apiUrl,
    ...(sessions ? { sessions: sessions.sessions } : {}),
  };
}

export function describeCredential(me: Whoami): string {
  const { kind, name } = me.credential;
  if (kind === "pat") return `personal access token "${name}"`;
  if (kind === "session") return `CLI session on ${name}`;
  return "browser session";
}
