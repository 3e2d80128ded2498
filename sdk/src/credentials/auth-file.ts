import * as z from "zod";
import { Timestamp, User } from "../contracts/common.js";
import { lazySchema } from "../contracts/lazy-schema.js";

/** How a stored credential was obtained. */
export const CredentialSource = lazySchema(() => z.enum(["device-code", "browser", "pat"]));
export type CredentialSource = z.infer<typeof CredentialSource>;

/**
 * `~/.claudemesh/auth.json` (version 1). When the OS keychain holds the token,
 * `token` is absent and `token_store` says where to look, so later commands go
 * straight there instead of probing.
 */
export const AuthFile = lazySchema(() =>
  z.object({
    version: z.literal(1),
    token: z.string().optional(),
    token_store: z.enum(["keychain", "file"]),
    token_kind: z.enum(["session", "pat"]),
    /** The server this credential belongs to. */
    api_url: z.string(),
    user: User,
    created_at: Timestamp,
    expires_at: Timestamp.nullable(),
    source: CredentialSource,
  }),
);
export type AuthFile = z.infer<typeof AuthFile>;
