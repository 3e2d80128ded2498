import { SlowDownBody } from "../contracts/device-code.js";
import { ErrorBody, ErrorCode } from "../contracts/errors.js";
import { neutralizeStrings, neutralText } from "../contracts/neutral-text.js";
import { ClaudemeshError, SlowDownError } from "../errors.js";

/** A non-2xx answer, its body read in full (the API's bodies are small JSON documents). */
export interface HttpAnswer {
  status: number;
  statusText: string;
  body: string;
}

const TLS_CODES = new Set([
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
]);

const AUTH_CODES = new Set<ErrorCode>(["auth_required", "token_invalid", "token_expired", "token_revoked"]);

/** A non-2xx answer as a ClaudemeshError: the server's own code and message when it sent them; `slow_down` as a SlowDownError. */
export function errorFromResponse(response: HttpAnswer, cause?: unknown): ClaudemeshError {
  const json = parseJson(response.body);
  const body = ErrorBody.safeParse(json);
  const offered = (json as { suggestion?: unknown } | null)?.suggestion;
  const suggestion = typeof offered === "string" ? offered : undefined;
  const known = body.success ? ErrorCode.safeParse(body.data.error) : undefined;
  const message = body.success ? body.data.message : `${response.status} ${neutralText(response.statusText)}`.trim();
  if (response.status === 401) {
    // Any 401 is an authentication failure (exit 2), whatever its code.
    const code = known?.success && AUTH_CODES.has(known.data) ? known.data : "token_rejected";
    return new ClaudemeshError(code, message, { cause });
  }
  const slow = response.status === 429 ? SlowDownBody.safeParse(json) : undefined;
  if (slow?.success) return new SlowDownError(slow.data.message, slow.data.interval, { cause });
  if (known?.success) return new ClaudemeshError(known.data, message, { suggestion, cause });
  return new ClaudemeshError(codeForStatus(response.status), message, { cause });
}

/** The body as JSON with every string neutral (error messages get printed), or null when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return neutralizeStrings(JSON.parse(text));
  } catch {
    return null;
  }
}

function codeForStatus(status: number): ErrorCode {
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 409) return "conflict";
  if (status === 410) return "gone";
  if (status === 413) return "payload_too_large";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "server_error";
  return "invalid_input";
}

/** A failure before any answer (refused, unresolvable, TLS, timeout, cancelled) as a ClaudemeshError. */
export function errorFromFailure(error: unknown, origin: string): ClaudemeshError {
  if (error instanceof ClaudemeshError) return error;
  const name = (error as { name?: string })?.name;
  if (name === "AbortError") return new ClaudemeshError("cancelled", "Cancelled.", { cause: error });
  if (name === "TimeoutError") {
    return ClaudemeshError.of("timeout", { kind: "no_answer_in_time", origin }, { cause: error });
  }
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? (error as { code?: string })?.code;
  if (code && TLS_CODES.has(code)) {
    return ClaudemeshError.of("tls", { kind: "tls_rejected", origin, reason: code }, { cause: error });
  }
  const reason = neutralText(code ?? cause?.message ?? (error as Error)?.message ?? String(error));
  return ClaudemeshError.of("network", { kind: "unreachable", origin, reason }, { cause: error });
}
