import { randomUUID } from "node:crypto";
import { TelemetryBatch } from "@claudemesh/sdk/contracts";
import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import type { Db } from "../db/database.js";
import { telemetryEvent } from "../db/schema.js";
import { errorResponse } from "../middleware/errors.js";
import { exceedsLimit, RATE_LIMITS } from "../rate-limit.js";
import { requestInfo } from "../request-info.js";
import { readJson } from "../validation.js";

/** `POST /api/telemetry`: anonymous CLI usage events (opt-out on the client), stored as they come. */
export function telemetryRoutes({ db, now }: { db: Db; now: () => Date }) {
  return new Hono<AppEnv>().post("/", async (c) => {
    const batch = await readJson(c, TelemetryBatch);
    const at = now();
    const key = `telemetry:ip:${requestInfo(c).ipAddress ?? "unknown"}`;
    if (await exceedsLimit(db, key, RATE_LIMITS.telemetryBatchesPerIp, at))
      return errorResponse(c, "rate_limited", "Too many telemetry batches.");
    await db.insert(telemetryEvent).values(
      batch.events.map((event) => ({
        id: randomUUID(),
        event: event.event,
        installId: batch.install_id,
        properties: event.properties,
        receivedAt: at,
      })),
    );
    return c.json({ accepted: batch.events.length }, 202);
  });
}
