import { ClaudemeshError, ERROR_CODES, type ErrorCode } from "@claudemesh/sdk/errors";
import { redactTokens } from "@claudemesh/sdk/token";
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { routePath } from "hono/route";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { isDatabaseUnavailable } from "../db/unavailable.js";
import { log } from "../log.js";
import { wantsPage } from "../pages/not-found-page.js";
import { unavailablePage } from "../pages/unavailable-page.js";

/**
 * Answers `{ error, message }` with the status the sdk's table gives the code.
 * Messages may quote the request (a path, a value), so tokens in them are redacted.
 */
export function errorResponse(c: Context, code: ErrorCode, message: string, status?: number) {
  return c.json(
    { error: code, message: redactTokens(message) },
    (status ?? ERROR_CODES[code].http) as ContentfulStatusCode,
  );
}

export const notFound: NotFoundHandler = (c) =>
  errorResponse(c, "not_found", `No route for ${c.req.method} ${c.req.path}.`);

/**
 * The answer for any request that needed the database while it could not be
 * reached; with a `cause`, logged in one line (not a stack per request while it is down).
 */
export function databaseUnavailable(c: Context, cause?: unknown) {
  if (cause !== undefined) log.error(`${routeOf(c)}: database unavailable (${rootMessage(cause)})`);
  if (wantsPage(c)) return unavailablePage(c);
  return errorResponse(c, "database_unavailable", "The database is not answering.");
}

/**
 * The last stop for thrown errors: our own errors keep their code, Hono's
 * keep their status, a lost database is a 503, and anything else is logged here and
 * answered as a plain 500 without its stack.
 */
export const onError: ErrorHandler = (error, c) => {
  if (error instanceof ClaudemeshError) return errorResponse(c, error.code, error.message);
  if (isDatabaseUnavailable(error)) return databaseUnavailable(c, error);
  if (error instanceof HTTPException) {
    const code: ErrorCode =
      error.status === 413 ? "payload_too_large" : error.status < 500 ? "invalid_input" : "server_error";
    return errorResponse(c, code, error.message || "Bad request.", error.status);
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  log.error(`${routeOf(c)} failed: ${stack}`);
  return errorResponse(c, "server_error", "Something went wrong on the server.");
};

/** The innermost cause's message: the driver's own words ("connect ECONNREFUSED …"). */
function rootMessage(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}

/**
 * The request as a log names it: method and the pattern of the route that was
 * running (`GET /api/invites/*`), never the path, which carries codes and secrets.
 */
export function routeOf(c: Context): string {
  return `${c.req.method} ${routePath(c) || "(no route)"}`;
}
