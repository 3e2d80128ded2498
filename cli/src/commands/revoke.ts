import { Command } from "commander";
import type { CliContext } from "../context.js";
import { returnsStatus } from "../exit-status.js";
import { changeGrant, parseCapabilities } from "../grant-change.js";

/**
 * `claudemesh revoke <peer> <cap…|all> [--mesh <slug>]`: takes capabilities from a
 * member (`all` blocks them). Not to be confused with `sessions revoke` and
 * `tokens revoke`, which end credentials: those are subcommands, this a command of its own.
 */
export function revokeCommand(ctx: CliContext): Command {
  const { t } = ctx;
  return new Command("revoke")
    .description(t.grants.revokeDescription)
    .argument("<peer>", t.grants.peer)
    .argument("<capability...>", t.grants.capabilitiesOrAll)
    .option("--mesh <slug>", t.peers.mesh)
    .action(
      returnsStatus((peer: string, capabilities: string[], options: { mesh?: string }) =>
        runRevoke(peer, capabilities, options, ctx),
      ),
    );
}

export function runRevoke(
  peer: string,
  values: string[],
  options: { mesh?: string },
  ctx: CliContext,
): Promise<number> {
  const removed = parseCapabilities(values, ctx, true);
  return changeGrant(ctx, peer, options.mesh, (current) => current.filter((cap) => !removed.includes(cap)));
}
