import type { ErrorCode } from "../contracts/errors.js";

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

/**
 * What a person can do next about an error, named; each door (the CLI, the
 * extension) words it in its own language and for its own commands.
 */
// Keyed by the step to take, not by error code: codes that call for the same step share one text in every catalogue.
export const HINT_KEYS = [
  "signIn",
  "reauthenticate",
  "replaceAuthFile",
  "signInAgain",
  "retryLogin",
  "tryLoginAgain",
  "loginAlreadyClaimed",
  "signInAnotherWay",
  "checkTokenCopied",
  "waitAndRetry",
  "leaveOutScopes",
  "createTokenInBrowser",
  "chooseAnotherSlug",
  "askForNewInvite",
  "inviteWorksOnce",
  "confirmEmailFirst",
  "installClaude",
  "checkConnection",
  "retryTimeout",
  "trustProxyCa",
  "checkServerUrl",
  "checkServerLog",
  "waitForDatabase",
  "unlockKeychain",
] as const;
export type HintKey = (typeof HINT_KEYS)[number];

interface ErrorCodeInfo {
  /** What a command exits with when this error ends it. */
  exit: ExitStatus;
  /** What the user can do next, shown under the message; none when the message says it all. */
  hint?: HintKey;
}

/**
 * The clients' half of the error table: the exit status and the hint for each
 * code. (The server's half, code → HTTP status, is `HTTP_STATUS`.)
 *
 * @example
 * process.exitCode = ERROR_CODES.token_expired.exit; // 2
 */
export const ERROR_CODES: Readonly<Record<ErrorCode, ErrorCodeInfo>> = {
  auth_required: { exit: ExitStatus.auth, hint: "signIn" },
  token_invalid: { exit: ExitStatus.auth, hint: "reauthenticate" },
  token_expired: { exit: ExitStatus.auth, hint: "reauthenticate" },
  token_revoked: { exit: ExitStatus.auth, hint: "reauthenticate" },
  token_rejected: { exit: ExitStatus.auth, hint: "reauthenticate" },
  auth_file_corrupted: { exit: ExitStatus.auth, hint: "replaceAuthFile" },
  credential_mismatch: { exit: ExitStatus.auth, hint: "signInAgain" },
  device_code_expired: { exit: ExitStatus.failure, hint: "retryLogin" },
  access_denied: { exit: ExitStatus.failure, hint: "tryLoginAgain" },
  already_claimed: { exit: ExitStatus.failure, hint: "loginAlreadyClaimed" },
  slow_down: { exit: ExitStatus.failure },
  device_flow_disabled: { exit: ExitStatus.failure, hint: "signInAnotherWay" },
  approval_network_refused: { exit: ExitStatus.failure },
  invalid_input: { exit: ExitStatus.failure },
  invalid_json: { exit: ExitStatus.failure },
  invalid_token_format: { exit: ExitStatus.failure, hint: "checkTokenCopied" },
  unsupported_media_type: { exit: ExitStatus.failure },
  payload_too_large: { exit: ExitStatus.failure },
  forbidden: { exit: ExitStatus.failure },
  not_found: { exit: ExitStatus.failure },
  gone: { exit: ExitStatus.failure },
  conflict: { exit: ExitStatus.failure },
  rate_limited: { exit: ExitStatus.failure, hint: "waitAndRetry" },
  scopes_unsupported: { exit: ExitStatus.failure, hint: "leaveOutScopes" },
  web_session_required: { exit: ExitStatus.failure, hint: "createTokenInBrowser" },
  slug_taken: { exit: ExitStatus.failure, hint: "chooseAnotherSlug" },
  invite_expired: { exit: ExitStatus.failure, hint: "askForNewInvite" },
  invite_used: { exit: ExitStatus.failure, hint: "inviteWorksOnce" },
  invite_revoked: { exit: ExitStatus.failure, hint: "askForNewInvite" },
  email_unverified: { exit: ExitStatus.failure, hint: "confirmEmailFirst" },
  step_up_required: { exit: ExitStatus.failure },
  claude_not_found: { exit: ExitStatus.failure, hint: "installClaude" },
  network: { exit: ExitStatus.failure, hint: "checkConnection" },
  timeout: { exit: ExitStatus.failure, hint: "retryTimeout" },
  tls: { exit: ExitStatus.failure, hint: "trustProxyCa" },
  bad_response: { exit: ExitStatus.failure, hint: "checkServerUrl" },
  server_error: { exit: ExitStatus.failure, hint: "checkServerLog" },
  database_unavailable: { exit: ExitStatus.failure, hint: "waitForDatabase" },
  keychain_unavailable: { exit: ExitStatus.failure, hint: "unlockKeychain" },
  cancelled: { exit: ExitStatus.cancelled },
};
