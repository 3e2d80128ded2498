import { Command } from "commander";
import type { CliContext } from "../context.js";
import { returnsStatus } from "../exit-status.js";
import { changeGrant } from "../grant-change.js";

/** `claudemesh unblock <peer> [--mesh <slug>]`: back to the default, where a member may do everything. */
export function unblockCommand(ctx: CliContext): Command {
  const { t } = ctx;
  return new Command("unblock")
    .description(t.grants.unblockDescription)
    .argument("<peer>", t.grants.peer)
    .option("--mesh <slug>", t.peers.mesh)
    .action(
      returnsStatus((peer: string, options: { mesh?: string }) => changeGrant(ctx, peer, options.mesh, () => null)),
    );
}
