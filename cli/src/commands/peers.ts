import type { MemberPresence } from "@claudemesh/sdk";
import { Command } from "commander";
import type { CliContext } from "../context.js";
import { authenticatedApi } from "../credentials.js";
import { returnsStatus } from "../exit-status.js";
import { formatDate } from "../format.js";
import { roleText } from "../i18n/language.js";
import { memberLabel, meshToUse } from "../mesh-peers.js";

export interface PeersOptions {
  mesh?: string;
  json?: boolean;
}

/** `claudemesh peers [--mesh <slug>] [--json]`: the mesh's members, who is online, and their sessions. */
export function peersCommand(ctx: CliContext): Command {
  const { t } = ctx;
  return new Command("peers")
    .description(t.peers.description)
    .option("--mesh <slug>", t.peers.mesh)
    .option("--json", t.json)
    .action(returnsStatus((options: PeersOptions) => runPeers(options, ctx)));
}

export async function runPeers(options: PeersOptions, ctx: CliContext): Promise<number> {
  const { api } = await authenticatedApi(ctx);
  const mesh = await meshToUse(ctx, api, options.mesh);
  const { members } = await api.listPeers(mesh);
  if (options.json) {
    ctx.out.print(JSON.stringify({ members }, null, 2));
    return 0;
  }
  const { out } = ctx;
  // Online first, then by name: who can be reached now is what people look for.
  const sorted = [...members].sort(
    (a, b) => Number(b.online) - Number(a.online) || memberLabel(a).localeCompare(memberLabel(b)),
  );
  const width = Math.max(0, ...sorted.map((member) => memberLabel(member).length));
  for (const member of sorted) {
    out.print(`${member.online ? "●" : "○"} ${memberLabel(member).padEnd(width)}  ${out.dim(presence(member, ctx))}`);
    for (const session of member.sessions) {
      const about = [session.kind, session.role, session.host].filter(Boolean).join(" · ");
      out.print(`    ${session.display_name} ${out.dim(`(${about})`)}`);
    }
  }
  return 0;
}

function presence(member: MemberPresence, { t }: CliContext): string {
  const state = member.online
    ? t.peers.online
    : member.last_seen_at
      ? t.peers.lastSeen(formatDate(member.last_seen_at, t))
      : t.peers.neverSeen;
  return `${roleText(member.mesh_role, t)} · ${state} · ${member.member_id}`;
}
