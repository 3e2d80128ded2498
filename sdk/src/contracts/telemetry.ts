import * as z from "zod";
import { Timestamp } from "./common.js";
import { lazySchema } from "./lazy-schema.js";

/** The events the CLI may report, and nothing else. */
export const TelemetryEventName = lazySchema(() =>
  z.enum([
    "cli.login.started",
    "cli.login.succeeded",
    "cli.login.failed",
    "cli.logout",
    "cli.command.executed",
    "cli.api.error",
  ]),
);
export type TelemetryEventName = z.infer<typeof TelemetryEventName>;

/** Flat, small values only: a command name, an exit code, a duration, an error code. */
const PropertyValue = lazySchema(() => z.union([z.string().max(200), z.number(), z.boolean(), z.null()]));

/** `POST /api/telemetry`: a batch from one installation (a random id, not a person). */
export const TelemetryBatch = lazySchema(() =>
  z.object({
    install_id: z.string().regex(/^[A-Za-z0-9-]{8,64}$/),
    events: z
      .array(
        z.object({
          event: TelemetryEventName,
          at: Timestamp,
          properties: z.record(z.string().max(50), PropertyValue).refine((p) => Object.keys(p).length <= 20, {
            message: "at most 20 properties",
          }),
        }),
      )
      .min(1)
      .max(50),
  }),
);
export type TelemetryBatch = z.infer<typeof TelemetryBatch>;
