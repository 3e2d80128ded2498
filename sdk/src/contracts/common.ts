import * as z from "zod";

/** An ISO 8601 timestamp, as every date on the wire is sent. */
export const Timestamp = z.iso.datetime({ offset: true });

/** Who a credential belongs to. */
export const User = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
});
export type User = z.infer<typeof User>;
