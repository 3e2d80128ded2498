import { type CliSession, refuseTokenAsId } from "@claudemesh/sdk";
import { Command } from "commander";
import type { CliContext } from "../context.js";
import { authenticatedApi } from "../credentials.js";
import { returnsStatus } from "../exit-status.js";
import { formatDate, lastUsed, sessionOrigin } from "../format.js";
import type { Messages } from "../i18n/en.js";

/** `claudemesh sessions list|revoke`: every device signed in with `claudemesh login`. */
export function sessionsCommand(ctx: CliContext): Command {
  const { t } = ctx;
  const list = new Command("list")
    .description(t.sessions.list)
    .option("--json", t.json)
    .action(returnsStatus((options: { json?: boolean }) => runSessionsList(options, ctx)));
  return new Command("sessions")
    .description(t.sessions.description)
    .addCommand(list, { isDefault: true })
    .addCommand(
      new Command("revoke")
        .description(t.sessions.revoke)
        .argument("<id>", t.sessions.id)
        .action(returnsStatus((id: string) => runSessionsRevoke(id, ctx))),
    );
}

export async function runSessionsList(options: { json?: boolean }, ctx: CliContext): Promise<number> {
  const { api } = await authenticatedApi(ctx);
  const { sessions } = await api.listSessions();
  if (options.json) ctx.out.print(JSON.stringify({ sessions }, null, 2));
  else if (sessions.length === 0) ctx.out.say(ctx.t.sessions.none);
  else for (const session of sessions) ctx.out.print(sessionLine(session, ctx.t));
  return 0;
}

export async function runSessionsRevoke(id: string, ctx: CliContext): Promise<number> {
  refuseTokenAsId(id);
  const { api } = await authenticatedApi(ctx);
  await api.revokeSession(id);
  ctx.out.success(ctx.t.sessions.revoked(id));
  return 0;
}

function sessionLine(session: CliSession, t: Messages): string {
  const when = t.sessions.line(formatDate(session.created_at, t), lastUsed(session, t));
  return `${session.current ? "*" : " "} ${session.id}  ${sessionOrigin(session, t)}  ${when}`;
}
