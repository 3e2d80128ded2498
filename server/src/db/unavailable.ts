/** Socket failures on the way to the database: it is down, restarting or unreachable. */
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH"]);

/** postgres-js's own codes for a connection that could not be made or was lost. */
const DRIVER_CODES = new Set(["CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT"]);

/**
 * Postgres SQLSTATEs that mean "not now" rather than "wrong query": class 08
 * (connection exception), shutdown and start-up (57P01–57P03), too many connections.
 * https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
const SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300"]);

/**
 * True when `error`, or any error it wraps, carries a code `matches` accepts:
 * drizzle and Better Auth wrap the driver's error (postgres.js, PGlite), which
 * carries the SQLSTATE or the socket's code.
 */
export function hasErrorCode(error: unknown, matches: (code: string) => boolean): boolean {
  const seen = new Set<unknown>();
  for (let current = error; current && typeof current === "object" && !seen.has(current); ) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && matches(code)) return true;
    // Node's net errors for a dual-stack connect come as an AggregateError.
    const inner = (current as { errors?: unknown }).errors;
    if (Array.isArray(inner) && inner.some((each) => hasErrorCode(each, matches))) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * True when `error` (or any error it wraps) says the database cannot be reached,
 * as opposed to a bug or bad input. Such requests are answered 503, because
 * trying again later helps.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return hasErrorCode(
    error,
    (code) => NETWORK_CODES.has(code) || DRIVER_CODES.has(code) || SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code),
  );
}

/**
 * The innermost cause's message: the driver's own words ("connect ECONNREFUSED …"),
 * not drizzle's wrapper, which quotes the whole statement and its parameters.
 */
export function innermostMessage(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}
