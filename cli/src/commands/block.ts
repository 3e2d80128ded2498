import { Command } from "commander";
import type { CliContext } from "../context.js";
import { returnsStatus } from "../exit-status.js";
import { changeGrant } from "../grant-change.js";

/** `claudemesh block <peer> [--mesh <slug>]`: nothing from this member reaches you (their messages are dropped). */
export function blockCommand(ctx: CliContext): Command {
  const { t } = ctx;
  return new Command("block")
    .description(t.grants.blockDescription)
    .argument("<peer>", t.grants.peer)
    .option("--mesh <slug>", t.peers.mesh)
    .action(
      returnsStatus((peer: string, options: { mesh?: string }) => changeGrant(ctx, peer, options.mesh, () => [])),
    );
}
