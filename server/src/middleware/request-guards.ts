import { ClaudemeshError } from "@claudemesh/sdk/errors";
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../app-env.js";
import { formBody } from "./form-body.js";
import { jsonBody, METHODS_WITH_BODY } from "./json-body.js";

/** Bodies are small JSON documents; anything near this is a mistake or an attack. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Under `/api`: JSON in, JSON out. */
export const isApiPath = (path: string) => path === "/api" || path.startsWith("/api/");

/**
 * What every request must pass before a route sees it: no NUL in the path (it
 * would reach Postgres, whose text cannot hold it); and, for requests that may
 * carry a body, the size limit and, under `/api/`, JSON (elsewhere, a form). One layer, not three:
 * each Hono layer costs a few promises on every request, reads included.
 * A plain function, not an async one, for the same reason.
 */
export function requestGuards(): MiddlewareHandler<AppEnv> {
  const limitBody = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new ClaudemeshError("payload_too_large", `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`);
    },
  });
  return (c, next) => {
    const path = c.req.path;
    if (path.includes("\u0000") || path.includes("%00")) {
      throw new ClaudemeshError("invalid_input", "Paths may not contain NUL characters.");
    }
    // Touching `c.req.raw.body` on a GET makes @hono/node-server build a full
    // Request, which measurably slows every read; so reads skip the body checks.
    if (!METHODS_WITH_BODY.has(c.req.method)) return next();
    return limitBody(c, () => (isApiPath(path) ? jsonBody(c, next) : formBody(c, next)) as Promise<void>);
  };
}
