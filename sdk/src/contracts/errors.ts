import * as z from "zod";
import { lazySchema } from "./lazy-schema.js";

/**
 * Every error code the server answers with or a client raises.
 * The server sends them as `{ error, message }` with the status `HTTP_STATUS`
 * names (`../errors/wire.ts`); clients turn them into `ClaudemeshError`s with an
 * exit status and a hint key (`../errors/client.ts`).
 */
export const ErrorCode = lazySchema(() =>
  z.enum([
    // Authentication: the caller has no usable credential (exit 2).
    "auth_required",
    "token_invalid",
    "token_expired",
    "token_revoked",
    "token_rejected",
    "auth_file_corrupted",
    /** The keychain holds a token that is not the one auth.json recorded (replaced, or planted). */
    "credential_mismatch",
    // Device-code and browser login.
    "device_code_expired",
    "access_denied",
    "already_claimed",
    "slow_down",
    // A server owner's policy (DEVICE_FLOW, APPROVAL_NETWORKS).
    "device_flow_disabled",
    "approval_network_refused",
    // Request problems.
    "invalid_input",
    "invalid_json",
    "invalid_token_format",
    "unsupported_media_type",
    "payload_too_large",
    "forbidden",
    "not_found",
    "gone",
    "conflict",
    "rate_limited",
    "scopes_unsupported",
    /** Only a browser session may do this (create a personal access token), never a token. */
    "web_session_required",
    // Meshes and invites.
    "slug_taken",
    "invite_expired",
    "invite_used",
    "invite_revoked",
    "email_unverified",
    "step_up_required",
    "claude_not_found",
    // Transport and server.
    "network",
    "timeout",
    "tls",
    "bad_response",
    "server_error",
    "database_unavailable",
    "keychain_unavailable",
    "cancelled",
  ]),
);
export type ErrorCode = z.infer<typeof ErrorCode>;

/**
 * The body of every non-2xx JSON answer.
 * `error` is a code (kept a plain string so an older client still reads a newer server's codes).
 *
 * @example
 * ErrorBody.parse({ error: "not_found", message: "No route for GET /nope" });
 */
export const ErrorBody = lazySchema(() =>
  z.object({
    error: z.string(),
    message: z.string(),
  }),
);
export type ErrorBody = z.infer<typeof ErrorBody>;
