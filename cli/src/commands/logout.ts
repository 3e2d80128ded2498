import { Command } from "commander";
import type { CliContext } from "../context.js";

/** `claudemesh logout`: revoke the session on the server (best effort), then forget it here. */
export function logoutCommand(ctx: CliContext): Command {
  return new Command("logout")
    .description("sign out: revoke this session and remove the saved credential")
    .action(async () => {
      process.exitCode = await runLogout(ctx);
    });
}

export async function runLogout(ctx: CliContext): Promise<number> {
  ctx.telemetry.record("cli.logout");
  const { out } = ctx;
  const store = ctx.store();
  let stored: Awaited<ReturnType<typeof store.load>> = null;
  try {
    stored = await store.load();
  } catch (error) {
    out.warn(`${(error as Error).message} Removing it anyway.`);
  }
  if (stored?.file.token_kind === "session") {
    try {
      await (await ctx.api(stored.token)).revokeSession("current");
      out.success("Token revoked on server");
    } catch (error) {
      out.warn(`Could not revoke the token on the server (${(error as Error).message}); removing it here anyway.`);
    }
  }
  const where = stored?.store === "keychain" ? "the OS keychain and " : "";
  if (await store.clear()) out.success(`Removed ${where}${store.file.path}`);
  else out.say("Not signed in; nothing to remove.");
  if (stored?.file.token_kind === "pat") {
    out.say(
      out.dim(
        "The personal access token itself still works: revoke it with `claudemesh tokens revoke <id>` or in the dashboard.",
      ),
    );
  }
  return 0;
}
