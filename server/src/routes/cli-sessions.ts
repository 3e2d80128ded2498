import type { CliSession, RevokedResponse, SessionList } from "@claudemesh/sdk/contracts";
import { ClaudemeshError } from "@claudemesh/sdk/errors";
import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import type { Db } from "../db/database.js";
import { requestInfo } from "../request-info.js";
import { listTokens, revokeToken } from "../tokens/token-store.js";
import type { TokenUseRecorder } from "../tokens/token-use-recorder.js";

/** `/api/my/cli/sessions`: the devices signed in with `claudemesh login`. */
export function cliSessionRoutes({ db, tokenUses, now }: { db: Db; tokenUses: TokenUseRecorder; now: () => Date }) {
  const routes = new Hono<AppEnv>();

  routes.get("/", async (c) => {
    const caller = c.var.caller;
    // The list shows this very request's use (written after answering, see TokenUseRecorder).
    await tokenUses.settled();
    const rows = await listTokens(db, caller.user.id, "session", now());
    const sessions = rows.map(
      (row): CliSession => ({
        id: row.id,
        device_name: row.deviceName,
        device_os: row.deviceOs,
        device_arch: row.deviceArch,
        ip_address: row.ipAddress,
        flow: row.flow,
        created_at: row.createdAt.toISOString(),
        last_used_at: row.lastUsedAt?.toISOString() ?? null,
        expires_at: row.expiresAt?.toISOString() ?? null,
        current: row.id === caller.tokenId,
      }),
    );
    return c.json({ sessions } satisfies SessionList);
  });

  routes.delete("/:id", async (c) => {
    const caller = c.var.caller;
    let id = c.req.param("id");
    if (id === "current") {
      if (caller.kind !== "session" || !caller.tokenId) {
        const what = caller.kind === "pat" ? "a personal access token" : "a browser session";
        throw new ClaudemeshError("not_found", `The current credential is ${what}, not a CLI session.`);
      }
      id = caller.tokenId;
    }
    const at = now();
    const revoked = await revokeToken(db, { userId: caller.user.id, id, kind: "session" }, requestInfo(c), at);
    if (!revoked) throw new ClaudemeshError("not_found", "No such CLI session.");
    return c.json({ id: revoked.id, revoked_at: at.toISOString() } satisfies RevokedResponse);
  });

  return routes;
}
