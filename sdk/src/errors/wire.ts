import type { ErrorCode } from "../contracts/errors.js";

/**
 * The HTTP status the server answers with for each error code, beside the
 * `{ error, message }` body (`ErrorBody`). The wire half of the error table:
 * nothing here is about exit statuses or what to tell people.
 *
 * @example
 * c.json({ error: "not_found", message: "No such session." }, HTTP_STATUS.not_found);
 */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  auth_required: 401,
  token_invalid: 401,
  token_expired: 401,
  token_revoked: 401,
  token_rejected: 401,
  auth_file_corrupted: 400,
  credential_mismatch: 401,
  device_code_expired: 410,
  access_denied: 403,
  already_claimed: 409,
  slow_down: 429,
  device_flow_disabled: 403,
  approval_network_refused: 403,
  invalid_input: 400,
  invalid_json: 400,
  invalid_token_format: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  forbidden: 403,
  not_found: 404,
  gone: 410,
  conflict: 409,
  rate_limited: 429,
  scopes_unsupported: 400,
  web_session_required: 403,
  slug_taken: 409,
  invite_expired: 410,
  invite_used: 410,
  invite_revoked: 410,
  email_unverified: 403,
  // A web session past the hour since it last proved who it is: confirm it's you, then retry.
  step_up_required: 403,
  claude_not_found: 500,
  network: 502,
  timeout: 504,
  tls: 502,
  bad_response: 502,
  server_error: 500,
  database_unavailable: 503,
  keychain_unavailable: 500,
  cancelled: 499,
};
