import type { SessionList, TokenSource, Whoami } from "@claudemesh/sdk";
import { Command } from "commander";
import type { CliContext } from "../context.js";
import { authenticatedApi, describeSource } from "../credentials.js";
import { returnsStatus } from "../exit-status.js";
import { formatDate, lastUsed, sessionOrigin } from "../format.js";
import type { Messages } from "../i18n/en.js";

export interface WhoamiOptions {
  sessions?: boolean;
  json?: boolean;
}

/** `claudemesh whoami [--sessions] [--json]`: who the server says you are, and with which credential. */
export function whoamiCommand(ctx: CliContext): Command {
  const { t } = ctx;
  return new Command("whoami")
    .description(t.whoami.description)
    .option("--sessions", t.whoami.sessions)
    .option("--json", t.whoami.json)
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
  const { out, t } = ctx;
  out.print(`${out.bold(me.user.name)} <${me.user.email}>`);
  out.print(t.whoami.credential(describeCredential(me, t), describeSource(credential, ctx)));
  out.print(t.whoami.expires(me.credential.expires_at ? formatDate(me.credential.expires_at, t) : t.whoami.never));
  out.print(t.whoami.server(ctx.apiUrl()));
  if (sessions) {
    out.print("");
    out.print(sessions.sessions.length === 0 ? t.whoami.noSessions : t.whoami.sessionsTitle);
    for (const session of sessions.sessions) {
      out.print(
        `  ${session.current ? "*" : " "} ${sessionOrigin(session, t)}  ${out.dim(t.whoami.sessionId(lastUsed(session, t), session.id))}`,
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

export function describeCredential(me: Whoami, t: Messages): string {
  const { kind, name } = me.credential;
  if (kind === "pat") return t.whoami.pat(name);
  if (kind === "session") return t.whoami.session(name);
  return t.whoami.browserSession;
}
