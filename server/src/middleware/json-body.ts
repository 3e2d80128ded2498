import { ClaudemeshError } from "@claudemesh/sdk/errors";
import { createMiddleware } from "hono/factory";

/** Methods whose requests may carry a body; the others are never read. */
export const METHODS_WITH_BODY = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Every API body is JSON: anything else is 415, unparsable JSON is 400, both
 * before a route (or Better Auth, which would answer 5xx or 200 to some of it) sees it.
 * An empty body passes: sign-out and revocations carry none.
 */
export const jsonBody = createMiddleware(async (c, next) => {
  if (!METHODS_WITH_BODY.has(c.req.method)) return next();
  const text = await c.req.raw.clone().text();
  if (text.length === 0) return next();

  const contentType = c.req.header("content-type") ?? "";
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(contentType)) {
    throw new ClaudemeshError(
      "unsupported_media_type",
      `Expected Content-Type: application/json, got ${contentType ? `"${contentType}"` : "none"}.`,
    );
  }
  try {
    JSON.parse(text);
  } catch (error) {
    throw new ClaudemeshError("invalid_json", `The request body is not valid JSON: ${(error as Error).message}`);
  }
  return next();
});
