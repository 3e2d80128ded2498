import { type CliSession, refuseTokenAsId } from "@claudemesh/sdk";
import { Command } from "commander";
import type { CliContext } from "../context.js";
import { authenticatedApi } from "../credentials.js";
import { deviceLabel, formatDate, lastUsed } from "../format.js";
import type { Messages } from "../i18n/en.js";

/** `claudemesh sessions list|revoke`: every device signed in with `claudemesh login`. */
export function sessionsCommand(ctx: CliContext): Command {
  const { t } = ctx;
  const list = new Command("list")
    .description(t.sessions.list)
    .option("--json", t.json)
    .action(async (options: { json?: boolean }) => {
      const { api } = await authenticatedApi(ctx);
      const { sessions } = await api.listSessions();
      if (options.json) return ctx.out.print(JSON.stringify({ sessions }, null, 2));
      if (sessions.length === 0) return ctx.out.say(t.sessions.none);
      for (const session of sessions) ctx.out.print(sessionLine(session, t));
    });
  return new Command("sessions")
    .description(t.sessions.description)
    .addCommand(list, { isDefault: true })
    .addCommand(
      new Command("revoke")
        .description(t.sessions.revoke)
        .argument("<id>", t.sessions.id)
        .action(async (id: string) => {
          refuseTokenAsId(id);
          const { api } = await authenticatedApi(ctx);
          await api.revokeSession(id);
          ctx.out.success(t.sessions.revoked(id));
        }),
    );
}

function sessionLine(session: CliSession, t: Messages): string {
  const when = t.sessions.line(formatDate(session.created_at, t), lastUsed(session, t));
  return `${session.current ? "*" : " "} ${session.id}  ${deviceLabel(session)}  ${when}`;
}
