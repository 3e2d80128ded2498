import { Command } from "commander";
import type { CliContext } from "../context.js";
import { returnsStatus } from "../exit-status.js";
import { changeGrant, parseCapabilities } from "../grant-change.js";

/** `claudemesh grant <peer> <cap…> [--mesh <slug>]`: lets a member do more to you (dm, broadcast). */
export function grantCommand(ctx: CliContext): Command {
  const { t } = ctx;
  return new Command("grant")
    .description(t.grants.grantDescription)
    .argument("<peer>", t.grants.peer)
    .argument("<capability...>", t.grants.capabilities)
    .option("--mesh <slug>", t.peers.mesh)
    .action(
      returnsStatus((peer: string, capabilities: string[], options: { mesh?: string }) =>
        runGrant(peer, capabilities, options, ctx),
      ),
    );
}

export function runGrant(peer: string, values: string[], options: { mesh?: string }, ctx: CliContext): Promise<number> {
  const added = parseCapabilities(values, ctx);
  return changeGrant(ctx, peer, options.mesh, (current) => [...new Set([...current, ...added])]);
}
