import type { ErrorCode } from "./contracts/errors.js";

export type { ErrorCode };

/** Process exit statuses shared by every claudemesh command. */
export const ExitStatus = {
  ok: 0,
  failure: 1,
  /** Missing, expired, revoked or rejected credentials. */
  auth: 2,
  /**
   * `login --continue --no-wait`: nobody has approved yet; check again later.
   * sysexits.h's EX_TEMPFAIL ("try again later"), clear of Node's own 1–13 and the shell's 126+.
   */
  pending: 75,
  /** Interrupted by the user (128 + SIGINT). */
  cancelled: 130,
} as const;
export type ExitStatus = (typeof ExitStatus)[keyof typeof ExitStatus];

interface ErrorCodeInfo {
  /** What a command exits with when this error ends it. */
  exit: ExitStatus;
  /** The HTTP status the server answers with for this code. */
  http: number;
  /** What the user can do next; shown under the message. */
  hint?: string;
}

const RELOGIN = "Run `claudemesh login` to re-authenticate.";

/** The one table from error code to exit status, HTTP status and hint. */
export const ERROR_CODES: Readonly<Record<ErrorCode, ErrorCodeInfo>> = {
  auth_required: { exit: ExitStatus.auth, http: 401, hint: "Run `claudemesh login` to sign in." },
  token_invalid: { exit: ExitStatus.auth, http: 401, hint: RELOGIN },
  token_expired: { exit: ExitStatus.auth, http: 401, hint: RELOGIN },
  token_revoked: { exit: ExitStatus.auth, http: 401, hint: RELOGIN },
  token_rejected: { exit: ExitStatus.auth, http: 401, hint: RELOGIN },
  auth_file_corrupted: { exit: ExitStatus.auth, http: 400, hint: "Run `claudemesh login` to replace it." },
  credential_mismatch: { exit: ExitStatus.auth, http: 401, hint: "Run `claudemesh login` to sign in again." },
  device_code_expired: { exit: ExitStatus.failure, http: 410, hint: "Run `claudemesh login` to retry." },
  access_denied: { exit: ExitStatus.failure, http: 403, hint: "Run `claudemesh login` to try again." },
  already_claimed: {
    exit: ExitStatus.failure,
    http: 409,
    hint: "Another process already received this login's token. Run `claudemesh login` again.",
  },
  slow_down: { exit: ExitStatus.failure, http: 429 },
  invalid_input: { exit: ExitStatus.failure, http: 400 },
  invalid_json: { exit: ExitStatus.failure, http: 400 },
  invalid_token_format: {
    exit: ExitStatus.failure,
    http: 400,
    hint: "Tokens look like cm_pat_… or cm_session_…; check it was copied whole.",
  },
  unsupported_media_type: { exit: ExitStatus.failure, http: 415 },
  payload_too_large: { exit: ExitStatus.failure, http: 413 },
  forbidden: { exit: ExitStatus.failure, http: 403 },
  not_found: { exit: ExitStatus.failure, http: 404 },
  gone: { exit: ExitStatus.failure, http: 410 },
  conflict: { exit: ExitStatus.failure, http: 409 },
  rate_limited: { exit: ExitStatus.failure, http: 429, hint: "Wait a while, then try again." },
  scopes_unsupported: {
    exit: ExitStatus.failure,
    http: 400,
    hint: "Leave out `scopes`: every token has its account's full access until scopes exist.",
  },
  slug_taken: { exit: ExitStatus.failure, http: 409, hint: "Choose another slug with `--slug`." },
  invite_expired: { exit: ExitStatus.failure, http: 410, hint: "Ask whoever invited you for a new invite." },
  invite_used: { exit: ExitStatus.failure, http: 410, hint: "Invites work once; ask for a new one." },
  invite_revoked: { exit: ExitStatus.failure, http: 410, hint: "Ask whoever invited you for a new invite." },
  email_unverified: {
    exit: ExitStatus.failure,
    http: 403,
    hint: "Once the address is confirmed, run `claudemesh join` again.",
  },
  claude_not_found: {
    exit: ExitStatus.failure,
    http: 500,
    hint: "Install Claude Code (`npm install -g @anthropic-ai/claude-code`) or set CLAUDEMESH_CLAUDE_BIN.",
  },
  network: {
    exit: ExitStatus.failure,
    http: 502,
    hint: "Check your connection and CLAUDEMESH_API_URL, then try again.",
  },
  timeout: { exit: ExitStatus.failure, http: 504, hint: "The server took too long to answer; try again." },
  tls: {
    exit: ExitStatus.failure,
    http: 502,
    hint: "Behind a TLS-inspecting proxy? Point NODE_EXTRA_CA_CERTS at its CA certificate.",
  },
  bad_response: {
    exit: ExitStatus.failure,
    http: 502,
    hint: "The server answered in an unexpected shape; is CLAUDEMESH_API_URL a claudemesh server?",
  },
  server_error: {
    exit: ExitStatus.failure,
    http: 500,
    hint: "Try again; if it keeps failing, check the server's log.",
  },
  database_unavailable: {
    exit: ExitStatus.failure,
    http: 503,
    hint: "The server cannot reach its database right now; try again in a minute.",
  },
  keychain_unavailable: {
    exit: ExitStatus.failure,
    http: 500,
    hint: "Set CLAUDEMESH_TOKEN_STORE=file to keep the token in ~/.claudemesh/auth.json instead.",
  },
  cancelled: { exit: ExitStatus.cancelled, http: 499 },
};

/**
 * The one error type of claudemesh: a code from the table above and a message for people.
 *
 * @example
 * throw new ClaudemeshError("token_revoked", "Authentication failed (token revoked)");
 */
export class ClaudemeshError extends Error {
  override readonly name = "ClaudemeshError";
  readonly code: ErrorCode;
  /** Something to try instead, when the server offered one (e.g. a free mesh slug). */
  readonly suggestion: string | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; suggestion?: string }) {
    super(message, options);
    this.code = code;
    this.suggestion = options?.suggestion;
  }

  /** The exit status a command ends with when this error reaches the top. */
  get exitStatus(): ExitStatus {
    return ERROR_CODES[this.code].exit;
  }

  /** The HTTP status the server answers with for this error. */
  get httpStatus(): number {
    return ERROR_CODES[this.code].http;
  }

  /** What to do next, or undefined when the message says it all. */
  get hint(): string | undefined {
    return ERROR_CODES[this.code].hint;
  }

  /** The `{ error, message }` body the server sends for this error. */
  toBody(): { error: ErrorCode; message: string } {
    return { error: this.code, message: this.message };
  }
}

/**
 * `slow_down` (RFC 8628 §3.5): a device-code poll came sooner than the server
 * allows; poll no faster than `interval` seconds from now on.
 *
 * @example
 * catch (error) { if (error instanceof SlowDownError) intervalMs = error.interval * 1000; }
 */
export class SlowDownError extends ClaudemeshError {
  /** Seconds to leave between polls from now on, as the server said. */
  readonly interval: number;

  constructor(message: string, interval: number, options?: { cause?: unknown }) {
    super("slow_down", message, options);
    this.interval = interval;
  }
}

/** True for errors that mean "sign in again" (exit status 2). */
export function isAuthError(error: unknown): error is ClaudemeshError {
  return error instanceof ClaudemeshError && error.exitStatus === ExitStatus.auth;
}
