import * as z from "zod";
import { lazySchema } from "./lazy-schema.js";

/** An ISO 8601 timestamp, as every date on the wire is sent. */
export const Timestamp = lazySchema(() => z.iso.datetime({ offset: true }));

/** Who a credential belongs to. */
export const User = lazySchema(() =>
  z.object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
  }),
);
export type User = z.infer<typeof User>;
