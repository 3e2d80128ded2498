import { Command } from "commander";
import type { CliContext } from "../context.js";
import { errorText } from "../i18n/language.js";

/** `claudemesh logout`: revoke the session on the server (best effort), then forget it here. */
export function logoutCommand(ctx: CliContext): Command {
  return new Command("logout").description(ctx.t.logout.description).action(async () => {
    process.exitCode = await runLogout(ctx);
  });
}

export async function runLogout(ctx: CliContext): Promise<number> {
  ctx.telemetry.record("cli.logout");
  const { out, t } = ctx;
  const store = ctx.store();
  let stored: Awaited<ReturnType<typeof store.load>> = null;
  try {
    stored = await store.load();
  } catch (error) {
    out.warn(t.logout.removingAnyway(errorText(error, t)));
  }
  if (stored?.file.token_kind === "session") {
    try {
      await (await ctx.api(stored.token)).revokeSession("current");
      out.success(t.logout.revoked);
    } catch (error) {
      out.warn(t.logout.notRevoked(errorText(error, t)));
    }
  }
  if (await store.clear()) out.success(t.logout.removed(stored?.store === "keychain", store.file.path));
  else out.say(t.logout.nothing);
  if (stored?.file.token_kind === "pat") out.say(out.dim(t.logout.patStillWorks));
  return 0;
}
