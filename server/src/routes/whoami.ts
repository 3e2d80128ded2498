import type { Whoami } from "@claudemesh/sdk/contracts";
import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";

/** `GET /api/my/whoami`: the caller and the credential they used. */
export function whoamiRoutes() {
  return new Hono<AppEnv>().get("/", (c) => {
    const { user, kind, tokenId, tokenName, expiresAt } = c.var.caller;
    return c.json({
      user,
      credential: { kind, id: tokenId, name: tokenName, expires_at: expiresAt?.toISOString() ?? null },
    } satisfies Whoami);
  });
}
