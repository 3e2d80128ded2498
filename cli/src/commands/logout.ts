import { type CredentialStore, signOut } from "@claudemesh/sdk";
import { Command } from "commander";
import type { CliContext } from "../context.js";
import { returnsStatus } from "../exit-status.js";
import { errorText } from "../i18n/language.js";

interface LogoutOptions {
  /** Every server this machine holds a login for, not only the one in use. */
  all?: boolean;
}

/** `claudemesh logout [--all]`: revoke the session on the server (best effort), then forget it here. */
export function logoutCommand(ctx: CliContext): Command {
  return new Command("logout")
    .description(ctx.t.logout.description)
    .option("--all", ctx.t.logout.all)
    .action(returnsStatus((options: LogoutOptions) => runLogout(options, ctx)));
}

export async function runLogout(options: LogoutOptions, ctx: CliContext): Promise<number> {
  ctx.telemetry.record("cli.logout");
  const store = ctx.store();
  if (!options.all) {
    if (!(await signOutOf(store, ctx.api, ctx))) ctx.out.say(ctx.t.logout.nothing);
    return 0;
  }
  let removed = false;
  // An unreadable auth.json lists no server; signing out of the one in use below removes it.
  const servers = await store.servers().catch(() => []);
  for (const { api_url: apiUrl } of servers) {
    removed = (await signOutOf(store.forServer(apiUrl), ctx.apiFor(apiUrl), ctx)) || removed;
  }
  // The server in use may hold only an unreadable file or an older claudemesh's keychain entry.
  removed = (await signOutOf(store, ctx.api, ctx)) || removed;
  if (!removed) ctx.out.say(ctx.t.logout.nothingAnywhere);
  return 0;
}

/** Signs out of one server and says what happened; false when there was nothing to remove. */
async function signOutOf(store: CredentialStore, api: CliContext["api"], ctx: CliContext): Promise<boolean> {
  const { out, t } = ctx;
  const result = await signOut({ store, api });
  if (result.unreadable !== undefined) out.warn(t.logout.removingAnyway(errorText(result.unreadable, t)));
  const { revocation } = result;
  if (revocation.outcome === "revoked") out.success(t.logout.revoked);
  if (revocation.outcome === "failed" || revocation.outcome === "already-invalid") {
    out.warn(t.logout.notRevoked(errorText(revocation.error, t)));
  }
  if (result.cleared) out.success(t.logout.removed(store.server, result.storeKind === "keychain", store.file.path));
  if (result.wasPat) out.say(out.dim(t.logout.patStillWorks));
  return result.cleared;
}
