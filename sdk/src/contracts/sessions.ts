import * as z from "zod";
import { CredentialFlow, Timestamp } from "./common.js";
import { lazySchema } from "./lazy-schema.js";

/** A device signed in with `claudemesh login`. */
export const CliSession = lazySchema(() =>
  z.object({
    id: z.string(),
    device_name: z.string().nullable(),
    device_os: z.string().nullable(),
    device_arch: z.string().nullable(),
    ip_address: z.string().nullable(),
    /** How it signed in: `device-code` or `browser` (loopback); null or absent when the server did not record it. */
    flow: CredentialFlow.nullable().optional(),
    created_at: Timestamp,
    last_used_at: Timestamp.nullable(),
    expires_at: Timestamp.nullable(),
    /** True for the session making this request. */
    current: z.boolean(),
  }),
);
export type CliSession = z.infer<typeof CliSession>;

/** `GET /api/my/cli/sessions` */
export const SessionList = lazySchema(() => z.object({ sessions: z.array(CliSession) }));
export type SessionList = z.infer<typeof SessionList>;

/** `DELETE /api/my/cli/sessions/:id` and `DELETE /api/my/cli/tokens/:id` */
export const RevokedResponse = lazySchema(() => z.object({ id: z.string(), revoked_at: Timestamp }));
export type RevokedResponse = z.infer<typeof RevokedResponse>;
