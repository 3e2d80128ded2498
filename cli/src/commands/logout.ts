import { signOut } from "@claudemesh/sdk";
import { Command } from "commander";
import type { CliContext } from "../context.js";
import { returnsStatus } from "../exit-status.js";
import { errorText } from "../i18n/language.js";

/** `claudemesh logout`: revoke the session on the server (best effort), then forget it here. */
export function logoutCommand(ctx: CliContext): Command {
  return new Command("logout").description(ctx.t.logout.description).action(returnsStatus(() => runLogout(ctx)));
}

export async function runLogout(ctx: CliContext): Promise<number> {
  ctx.telemetry.record("cli.logout");
  const { out, t } = ctx;
  const store = ctx.store();
  const result = await signOut({ store, api: ctx.api });
  if (result.unreadable !== undefined) out.warn(t.logout.removingAnyway(errorText(result.unreadable, t)));
  const { revocation } = result;
  if (revocation.outcome === "revoked") out.success(t.logout.revoked);
  if (revocation.outcome === "failed" || revocation.outcome === "already-invalid") {
    out.warn(t.logout.notRevoked(errorText(revocation.error, t)));
  }
  if (result.cleared) out.success(t.logout.removed(result.storeKind === "keychain", store.file.path));
  else out.say(t.logout.nothing);
  if (result.wasPat) out.say(out.dim(t.logout.patStillWorks));
  return 0;
}
