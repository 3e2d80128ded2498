import { signOut } from "@claudemesh/sdk";
import { Command } from "commander";
import type { CliContext } from "../context.js";
import { returnsStatus } from "../exit-status.js";

/** `claudemesh logout`: revoke the session on the server (best effort), then forget it here. */
export function logoutCommand(ctx: CliContext): Command {
  return new Command("logout")
    .description("sign out: revoke this session and remove the saved credential")
    .action(returnsStatus(() => runLogout(ctx)));
}

export async function runLogout(ctx: CliContext): Promise<number> {
  ctx.telemetry.record("cli.logout");
  const { out } = ctx;
  const store = ctx.store();
  const result = await signOut({ store, api: ctx.api });
  if (result.unreadable !== undefined) out.warn(`${(result.unreadable as Error).message} Removing it anyway.`);
  const { revocation } = result;
  if (revocation.outcome === "revoked") out.success("Token revoked on server");
  if (revocation.outcome === "failed" || revocation.outcome === "already-invalid") {
    const reason = (revocation.error as Error).message;
    out.warn(`Could not revoke the token on the server (${reason}); removing it here anyway.`);
  }
  const where = result.storeKind === "keychain" ? "the OS keychain and " : "";
  if (result.cleared) out.success(`Removed ${where}${store.file.path}`);
  else out.say("Not signed in; nothing to remove.");
  if (result.wasPat) {
    out.say(
      out.dim(
        "The personal access token itself still works: revoke it with `claudemesh tokens revoke <id>` or in the dashboard.",
      ),
    );
  }
  return 0;
}
