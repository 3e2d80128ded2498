import { randomUUID } from "node:crypto";
import { TelemetryBatch } from "@claudemesh/sdk/contracts";
import { ClaudemeshError } from "@claudemesh/sdk/errors";
import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import type { Db } from "../db/database.js";
import { telemetryEvent } from "../db/schema.js";
import { addressKey } from "../limits/address-key.js";
import { takeAttempt } from "../limits/attempts.js";
import { RATE_LIMITS } from "../limits/rate-limits.js";
import { requestInfo } from "../request-info.js";
import { validJson } from "../validation.js";

/** `POST /api/telemetry`: anonymous CLI usage events (opt-out on the client), stored as they come. */
export function telemetryRoutes({ db, now }: { db: Db; now: () => Date }) {
  return new Hono<AppEnv>().post("/", validJson(TelemetryBatch), async (c) => {
    const batch = c.req.valid("json");
    const at = now();
    const key = `telemetry:address:${addressKey(requestInfo(c).ipAddress)}`;
    if (!(await takeAttempt(db, key, RATE_LIMITS.telemetryBatchesPerAddress, at))) {
      throw new ClaudemeshError("rate_limited", "Too many telemetry batches.");
    }
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
