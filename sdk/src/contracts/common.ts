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

/**
 * How a CLI credential was obtained: a device-code login, a browser (loopback)
 * login, or a personal access token made on the web dashboard.
 */
export const CredentialFlow = lazySchema(() => z.enum(["device-code", "browser", "web"]));
export type CredentialFlow = z.infer<typeof CredentialFlow>;
