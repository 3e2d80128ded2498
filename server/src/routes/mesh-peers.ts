import { type Grants, type PeerList, UpdateGrantRequest } from "@claudemesh/sdk/contracts";
import { ClaudemeshError } from "@claudemesh/sdk/errors";
import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import { readGrants, updateGrant } from "../broker/grants.js";
import { memberPresence } from "../broker/presence.js";
import { admitToBroker } from "../broker/upgrade.js";
import type { Db } from "../db/database.js";
import { findMembership } from "../meshes/mesh-store.js";
import { requestInfo } from "../request-info.js";
import { validJson } from "../validation.js";

/** `/api/my/meshes/:mesh/{peers,grants,broker}`: who is online, your grants, and the broker's door. */
export function meshPeerRoutes({ db, now }: { db: Db; now: () => Date }) {
  const routes = new Hono<AppEnv>();

  async function meshOf(userId: string, name: string) {
    const membership = await findMembership(db, userId, name);
    if (!membership) throw new ClaudemeshError("not_found", "You are not in a mesh with that id or slug.");
    return membership.row;
  }

  routes.get("/:mesh/peers", async (c) => {
    const mesh = await meshOf(c.var.caller.user.id, c.req.param("mesh"));
    return c.json({ members: await memberPresence(db, mesh.id, now()) } satisfies PeerList);
  });

  routes.get("/:mesh/grants", async (c) => {
    const mesh = await meshOf(c.var.caller.user.id, c.req.param("mesh"));
    return c.json((await readGrants(db, mesh.id, c.var.caller.user.id)) satisfies Grants);
  });

  routes.post("/:mesh/grants", validJson(UpdateGrantRequest), async (c) => {
    const input = c.req.valid("json");
    const mesh = await meshOf(c.var.caller.user.id, c.req.param("mesh"));
    const grants = await updateGrant(db, {
      meshId: mesh.id,
      userId: c.var.caller.user.id,
      peer: input.peer,
      capabilities: input.capabilities,
      request: requestInfo(c),
      now: now(),
    });
    return c.json(grants satisfies Grants);
  });

  routes.get("/:mesh/broker", (c) => admitToBroker(c, db));

  return routes;
}
