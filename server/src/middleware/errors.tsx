import { HTTP_STATUS } from "@claudemesh/sdk/contracts";
import { ClaudemeshError, type ErrorCode } from "@claudemesh/sdk/errors";
import { redactTokens } from "@claudemesh/sdk/token";
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { routePath } from "hono/route";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../app-env.js";
import { innermostMessage, isDatabaseUnavailable } from "../db/unavailable.js";
import { log } from "../log.js";
import { ErrorPage } from "../pages/error-page.js";
import { pageContextOf } from "../pages/page-context.js";
import { isApiPath } from "./request-guards.js";

/** What a failed request is answered with, however it failed. */
interface Refusal {
  code: ErrorCode;
  message: string;
  status: number;
  /** Something to try instead (a free mesh slug), sent beside the message. */
  suggestion?: string;
}

/**
 * The one error path: routes and middleware throw, and this answers. Our own
 * errors keep their code (and suggestion), Hono's keep their status, a lost
 * database is a 503 logged in one line (not a stack per request while it is
 * down), and anything else is logged with its stack and answered as a plain 500.
 */
export const onError: ErrorHandler<AppEnv> = (error, c) => answer(c, refusalOf(error, c));

/** A request no route took: a 404 like any other, a page for a browser. */
export const notFound: NotFoundHandler<AppEnv> = (c) => answer(c, refusalOf(noRoute(c), c));

/** The error for a path nothing here answers (Better Auth's empty 404s become this too). */
export function noRoute(c: Context): ClaudemeshError {
  return new ClaudemeshError("not_found", `No route for ${c.req.method} ${c.req.path}.`);
}

function refusalOf(error: unknown, c: Context): Refusal {
  if (error instanceof ClaudemeshError) {
    return { code: error.code, message: error.message, status: HTTP_STATUS[error.code], suggestion: error.suggestion };
  }
  if (isDatabaseUnavailable(error)) {
    log.error(`${routeOf(c)}: database unavailable (${innermostMessage(error)})`);
    return {
      code: "database_unavailable",
      message: "The database is not answering.",
      status: HTTP_STATUS.database_unavailable,
    };
  }
  if (error instanceof HTTPException) {
    const code: ErrorCode =
      error.status === 413 ? "payload_too_large" : error.status < 500 ? "invalid_input" : "server_error";
    return { code, message: error.message || "Bad request.", status: error.status };
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  log.error(`${routeOf(c)} failed: ${stack}`);
  return { code: "server_error", message: "Something went wrong on the server.", status: HTTP_STATUS.server_error };
}

/**
 * `{ error, message }` (messages may quote the request, so tokens in them are
 * redacted), or the error's page in the request's language.
 */
function answer(c: Context<AppEnv>, { code, message, status, suggestion }: Refusal): Response | Promise<Response> {
  const contentful = status as ContentfulStatusCode;
  if (answersWithPage(c)) {
    const page = c.var.page ?? pageContextOf(c);
    return c.html(<ErrorPage page={page} code={code} />, contentful);
  }
  const extra = suggestion === undefined ? {} : { suggestion };
  return c.json({ error: code, message: redactTokens(message), ...extra }, contentful);
}

/**
 * A page on the pages once their middleware has run; before it (a malformed
 * request) and off the known pages, only when a browser asked for HTML.
 * The API always answers JSON.
 */
function answersWithPage(c: Context<AppEnv>): boolean {
  if (c.var.page) return true;
  return !isApiPath(c.req.path) && (c.req.header("accept") ?? "").includes("text/html");
}

/**
 * The request as a log names it: method and the pattern of the route that was
 * running (`GET /api/invites/*`), never the path, which carries codes and secrets.
 */
export function routeOf(c: Context): string {
  return `${c.req.method} ${routePath(c) || "(no route)"}`;
}
