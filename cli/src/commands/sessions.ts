import { type CliSession, refuseTokenAsId } from "@claudemesh/sdk";
import { Command } from "commander";
import type { CliContext } from "../context.js";
import { authenticatedApi } from "../credentials.js";
import { returnsStatus } from "../exit-status.js";
import { deviceLabel, formatDate, lastUsed } from "../format.js";

/** `claudemesh sessions list|revoke`: every device signed in with `claudemesh login`. */
export function sessionsCommand(ctx: CliContext): Command {
  const list = new Command("list")
    .description("list the devices signed in to your account (* = this one)")
    .option("--json", "print JSON")
    .action(returnsStatus((options: { json?: boolean }) => runSessionsList(options, ctx)));
  return new Command("sessions")
    .description("list and revoke CLI sessions")
    .addCommand(list, { isDefault: true })
    .addCommand(
      new Command("revoke")
        .description("sign a device out (`current` for this one)")
        .argument("<id>", "session id from `claudemesh sessions list`")
        .action(returnsStatus((id: string) => runSessionsRevoke(id, ctx))),
    );
}

export async function runSessionsList(options: { json?: boolean }, ctx: CliContext): Promise<number> {
  const { api } = await authenticatedApi(ctx);
  const { sessions } = await api.listSessions();
  if (options.json) ctx.out.print(JSON.stringify({ sessions }, null, 2));
  else if (sessions.length === 0) ctx.out.say("No CLI sessions.");
  else for (const session of sessions) ctx.out.print(sessionLine(session));
  return 0;
}

export async function runSessionsRevoke(id: string, ctx: CliContext): Promise<number> {
  refuseTokenAsId(id);
  const { api } = await authenticatedApi(ctx);
  await api.revokeSession(id);
  ctx.out.success(`Revoked session ${id}`);
  return 0;
}

function sessionLine(session: CliSession): string {
  return `${session.current ? "*" : " "} ${session.id}  ${deviceLabel(session)}  (signed in ${formatDate(session.created_at)}, ${lastUsed(session)})`;
}
