import { timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";
import { ClaudemeshError } from "@claudemesh/sdk/errors";
import { Hono } from "hono";
import { Counter, Gauge, Registry } from "prom-client";
import type { AppEnv } from "../app-env.js";
import { sha256 } from "../hash.js";

/** The broker's Prometheus metrics, one registry per process. */
export interface BrokerMetrics {
  registry: Registry;
  /** Messages not stored for a recipient because their grants refuse the sender (seed 003). */
  droppedByGrant: Counter<"cap">;
  /** Messages not stored for a recipient whose queue is full. */
  droppedQueueFull: Counter;
  /** Messages stored for delivery (one per send, whatever the number of recipients). */
  stored: Counter;
  /** Open broker connections on this instance. */
  connections: Gauge;
}

export function createBrokerMetrics(): BrokerMetrics {
  const registry = new Registry();
  return {
    registry,
    droppedByGrant: new Counter({
      name: "broker_messages_dropped_by_grant_total",
      help: "Messages dropped for a recipient whose grants refuse the sender, by capability (dm, broadcast).",
      labelNames: ["cap"],
      registers: [registry],
    }),
    droppedQueueFull: new Counter({
      name: "broker_messages_dropped_queue_full_total",
      help: "Messages refused or skipped for a recipient whose queue of unacked messages is full.",
      registers: [registry],
    }),
    stored: new Counter({
      name: "broker_messages_stored_total",
      help: "Messages the broker stored for delivery.",
      registers: [registry],
    }),
    connections: new Gauge({
      name: "broker_connections",
      help: "Open broker WebSocket connections on this instance.",
      registers: [registry],
    }),
  };
}

/**
 * `/metrics` on the API port, only with `Authorization: Bearer $METRICS_TOKEN`
 * (a wrong or missing token is a 401, compared in constant time).
 */
export function metricsRoutes(metrics: BrokerMetrics, token: string) {
  const routes = new Hono<AppEnv>();
  const expected = Buffer.from(sha256(token), "hex");
  routes.get("/", async (c) => {
    const offered = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header("authorization") ?? "")?.[1] ?? "";
    // Hashes have one length, so comparing them leaks nothing about the token's length either.
    if (!timingSafeEqual(Buffer.from(sha256(offered), "hex"), expected)) {
      throw new ClaudemeshError("auth_required", "Send `Authorization: Bearer <METRICS_TOKEN>`.");
    }
    return c.text(await metrics.registry.metrics(), 200, { "content-type": metrics.registry.contentType });
  });
  return routes;
}

/** `/metrics` on a port of its own (METRICS_PORT), for a scraper on a private network; no token. */
export function serveMetrics(metrics: BrokerMetrics, port: number, host: string): Promise<Server> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://metrics").pathname;
    if (request.method !== "GET" || path !== "/metrics") {
      response.writeHead(404, { "content-type": "text/plain" }).end("Not found: try GET /metrics\n");
      return;
    }
    metrics.registry.metrics().then(
      (text) => response.writeHead(200, { "content-type": metrics.registry.contentType }).end(text),
      () => response.writeHead(500, { "content-type": "text/plain" }).end("metrics unavailable\n"),
    );
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}
