import { type CliSession, refuseTokenAsId } from "@claudemesh/sdk";
import { Command } from "commander";
import type { CliContext } from "../context.js";
import { authenticatedApi } from "../credentials.js";
import { deviceLabel, formatDate, lastUsed } from "../format.js";

/** `claudemesh sessions list|revoke`: every device signed in with `claudemesh login`. */
export function sessionsCommand(ctx: CliContext): Command {
  const list = new Command("list")
    .description("list the devices signed in to your account (* = this one)")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      const { api } = await authenticatedApi(ctx);
      const { sessions } = await api.listSessions();
      if (options.json) return ctx.out.print(JSON.stringify({ sessions }, null, 2));
      if (sessions.length === 0) return ctx.out.say("No CLI sessions.");
      for (const session of sessions) ctx.out.print(sessionLine(session));
    });
  return new Command("sessions")
    .description("list and revoke CLI sessions")
    .addCommand(list, { isDefault: true })
    .addCommand(
      new Command("revoke")
        .description("sign a device out (`current` for this one)")
        .argument("<id>", "session id from `claudemesh sessions list`")
        .action(async (id: string) => {
          refuseTokenAsId(id);
          const { api } = await authenticatedApi(ctx);
          await api.revokeSession(id);
          ctx.out.success(`Revoked session ${id}`);
        }),
    );
}

function sessionLine(session: CliSession): string {
  return `${session.current ? "*" : " "} ${session.id}  ${deviceLabel(session)}  (signed in ${formatDate(session.created_at)}, ${lastUsed(session)})`;
}
