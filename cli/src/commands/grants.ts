import { ALL_CAPABILITIES } from "@claudemesh/sdk";
import { Command } from "commander";
import type { CliContext } from "../context.js";
import { authenticatedApi } from "../credentials.js";
import { returnsStatus } from "../exit-status.js";
import { grantText } from "../grant-change.js";
import { memberLabel, meshToUse } from "../mesh-peers.js";

export interface GrantsOptions {
  mesh?: string;
  json?: boolean;
}

/** `claudemesh grants [--mesh <slug>] [--json]`: what each member of the mesh may do to you. */
export function grantsCommand(ctx: CliContext): Command {
  const { t } = ctx;
  return new Command("grants")
    .description(t.grants.description)
    .option("--mesh <slug>", t.peers.mesh)
    .option("--json", t.json)
    .action(returnsStatus((options: GrantsOptions) => runGrants(options, ctx)));
}

export async function runGrants(options: GrantsOptions, ctx: CliContext): Promise<number> {
  const { api } = await authenticatedApi(ctx);
  const mesh = await meshToUse(ctx, api, options.mesh);
  const [{ members }, grants, { user }] = await Promise.all([api.listPeers(mesh), api.getGrants(mesh), api.whoami()]);
  if (options.json) {
    ctx.out.print(JSON.stringify(grants, null, 2));
    return 0;
  }
  const { out, t } = ctx;
  const others = members.filter((member) => member.member_id !== user.id);
  if (others.length === 0) {
    out.say(t.grants.alone(mesh));
    return 0;
  }
  for (const member of others) {
    const capabilities = grants.peers[member.member_id] ?? null;
    const mark = capabilities === null ? "✔" : capabilities.length === 0 ? "✘" : "◐";
    out.print(`${mark} ${grantText(memberLabel(member), capabilities, ctx)} ${out.dim(`(${member.member_id})`)}`);
  }
  out.say(out.dim(t.grants.legend(ALL_CAPABILITIES.join(", "))));
  return 0;
}
