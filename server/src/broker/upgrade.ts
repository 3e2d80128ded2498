import { type IncomingMessage, STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { isMeshIdShaped, type Mesh } from "@claudemesh/sdk/contracts";
import { ClaudemeshError } from "@claudemesh/sdk/errors";
import { eq } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv, Caller } from "../app-env.js";
import type { Db } from "../db/database.js";
import { mesh } from "../db/schema.js";
import { log } from "../log.js";
import { findMembership } from "../meshes/mesh-store.js";

// A broker connection is admitted by the app itself: the upgrade request goes
// through `app.fetch` like any `/api/my/*` request (bearer check, rate limits,
// client address), and the broker route leaves its verdict here for the
// WebSocket to be opened with. So the broker has no second auth path to drift.

/** Who a socket belongs to, as the broker route admitted them. */
export interface Admission {
  caller: Caller & { tokenId: string };
  mesh: Pick<Mesh, "id" | "slug" | "name">;
}

const admissions = new WeakMap<Request, Admission>();

/** The bindings `handleBrokerUpgrade` passes, so a plain HTTP request cannot be admitted. */
interface UpgradeBindings {
  incoming: IncomingMessage;
  brokerUpgrade: true;
}

/** The route's answer for `GET /api/my/meshes/:mesh/broker`: an admission for an upgrade, else an error. */
export async function admitToBroker(c: Context<AppEnv>, db: Db): Promise<Response> {
  const { caller } = c.var;
  if (!(c.env as Partial<UpgradeBindings> | undefined)?.brokerUpgrade) {
    throw new ClaudemeshError("invalid_input", "The broker speaks WebSocket: connect with `Upgrade: websocket`.");
  }
  // A cookie rides along on a cross-site WebSocket too (no same-origin check covers GET): tokens only.
  if (caller.tokenId === null) {
    throw new ClaudemeshError("auth_required", "The broker takes a token: send `Authorization: Bearer cm_…`.");
  }
  const name = c.req.param("mesh") ?? "";
  const membership = await findMembership(db, caller.user.id, name);
  if (!membership) {
    const named = isMeshIdShaped(name) ? eq(mesh.id, name.toLowerCase()) : eq(mesh.slug, name);
    const [known] = await db.select({ id: mesh.id }).from(mesh).where(named);
    if (known) throw new ClaudemeshError("forbidden", "You are not a member of that mesh.");
    throw new ClaudemeshError("not_found", "No mesh with that id or slug.");
  }
  const { id, slug, name: meshName } = membership.row;
  admissions.set(c.req.raw, { caller: { ...caller, tokenId: caller.tokenId }, mesh: { id, slug, name: meshName } });
  return c.body(null, 204);
}

/**
 * The node server's `upgrade` listener: runs the request through the app, then
 * either opens the WebSocket (`accept`) or writes the app's error answer and
 * closes. Upgrades to any other path are answered 404.
 */
export function handleBrokerUpgrade(
  fetch: (request: Request, bindings: UpgradeBindings) => Response | Promise<Response>,
  accept: (request: IncomingMessage, socket: Duplex, head: Buffer, admission: Admission) => void,
) {
  return (incoming: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => socket.destroy());
    const url = new URL(incoming.url ?? "/", `http://${incoming.headers.host ?? "localhost"}`);
    const headers = new Headers();
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (typeof value === "string") headers.set(name, value);
      else if (Array.isArray(value)) for (const each of value) headers.append(name, each);
    }
    const request = new Request(url, { method: incoming.method ?? "GET", headers });
    Promise.resolve(fetch(request, { incoming, brokerUpgrade: true })).then(
      async (response) => {
        const admission = admissions.get(request);
        if (admission && response.status === 204) return accept(incoming, socket, head, admission);
        refuse(socket, response.status, await response.text(), response.headers.get("content-type"));
      },
      (error: unknown) => {
        log.error(`broker upgrade failed: ${(error as Error).message}`);
        refuse(
          socket,
          500,
          JSON.stringify({ error: "server_error", message: "The broker failed." }),
          "application/json",
        );
      },
    );
  };
}

function refuse(socket: Duplex, status: number, body: string, contentType: string | null): void {
  if (!socket.writable) return void socket.destroy();
  const shown = status === 204 ? 500 : status;
  socket.end(
    `HTTP/1.1 ${shown} ${STATUS_CODES[shown] ?? ""}\r\n` +
      `content-type: ${contentType ?? "text/plain"}\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\n` +
      "connection: close\r\n\r\n" +
      body,
  );
}
