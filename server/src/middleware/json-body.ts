import { ClaudemeshError } from "@claudemesh/sdk/errors";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env.js";

/** Methods whose requests may carry a body; the others are never read. */
export const METHODS_WITH_BODY = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Every API body is JSON: anything else is 415, unparsable JSON is 400, both
 * before a route (or Better Auth, which would answer 5xx or 200 to some of it) sees it.
 * An empty body passes: sign-out and revocations carry none. Run for
 * METHODS_WITH_BODY only (request-guards.ts), so reads never touch the body.
 */
export const jsonBody = createMiddleware<AppEnv>(async (c, next) => {
  const text = await c.req.raw.clone().text();
  if (text.length === 0) return next();

  const contentType = c.req.header("content-type") ?? "";
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(contentType)) {
    throw new ClaudemeshError(
      "unsupported_media_type",
      `Expected Content-Type: application/json, got ${contentType ? `"${contentType}"` : "none"}.`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ClaudemeshError("invalid_json", `The request body is not valid JSON: ${(error as Error).message}`);
  }
  if (containsNul(parsed)) throw new ClaudemeshError("invalid_input", NUL_MESSAGE);
  c.set("json", parsed); // routes read it back with readJson instead of parsing again
  return next();
});

export const NUL_MESSAGE = "Text may not contain NUL characters (\\u0000).";

/** True when any string in a parsed JSON value (keys included) holds U+0000, which Postgres text cannot store. */
export function containsNul(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (Array.isArray(value)) return value.some(containsNul);
  if (value && typeof value === "object") {
    return Object.entries(value).some(([key, item]) => key.includes("\u0000") || containsNul(item));
  }
  return false;
}
