import type { ErrorCode } from "./contracts/errors.js";
import { ERROR_CODES, ExitStatus, type HintKey } from "./errors/client.js";
import { type ErrorDetail, englishDetail } from "./errors/details.js";
import { HTTP_STATUS } from "./errors/wire.js";

export { ERROR_CODES, ExitStatus, HINT_KEYS, type HintKey } from "./errors/client.js";
export {
  asSentence,
  type ErrorDetail,
  englishDetail,
  englishNotice,
  type KeychainOperation,
  type Notice,
} from "./errors/details.js";
export { HTTP_STATUS } from "./errors/wire.js";
export type { ErrorCode };

/**
 * The one error type of claudemesh: a code (see `HTTP_STATUS` and `ERROR_CODES`),
 * an English message, and, for errors the SDK raises itself, a `detail` each
 * door words in its own language.
 *
 * @example
 * throw new ClaudemeshError("token_revoked", "Authentication failed (token revoked)");
 * throw ClaudemeshError.of("timeout", { kind: "no_answer_in_time", origin: "https://mesh.example" });
 */
export class ClaudemeshError extends Error {
  override readonly name = "ClaudemeshError";
  readonly code: ErrorCode;
  /** Something to try instead, when the server offered one (e.g. a free mesh slug). */
  readonly suggestion: string | undefined;
  /** What went wrong, as data, when the SDK raised it; undefined for the server's errors (their message is all). */
  readonly detail: ErrorDetail | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options?: { cause?: unknown; suggestion?: string; detail?: ErrorDetail },
  ) {
    super(message, options);
    this.code = code;
    this.suggestion = options?.suggestion;
    this.detail = options?.detail;
  }

  /** An error the SDK raises, with its detail as data and that detail's English words as the message. */
  static of(code: ErrorCode, detail: ErrorDetail, options?: { cause?: unknown }): ClaudemeshError {
    return new ClaudemeshError(code, englishDetail(detail), { ...options, detail });
  }

  /** The exit status a command ends with when this error reaches the top. */
  get exitStatus(): ExitStatus {
    return ERROR_CODES[this.code].exit;
  }

  /** The HTTP status the server answers with for this error. */
  get httpStatus(): number {
    return HTTP_STATUS[this.code];
  }

  /** Which step to suggest next (each door words it), or undefined when the message says it all. */
  get hintKey(): HintKey | undefined {
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
