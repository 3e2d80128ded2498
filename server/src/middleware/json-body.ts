import { ClaudemeshError } from "@claudemesh/sdk/errors";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env.js";

/** Methods whose requests may carry a body; the others are never read. */
export const METHODS_WITH_BODY = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Deepest nesting of arrays and objects a body may have; ours go 4 deep (a telemetry batch). */
export const MAX_JSON_DEPTH = 32;
/** Most values (containers, strings, numbers, …) a body may hold; a full telemetry batch has ~1,200. */
export const MAX_JSON_VALUES = 2048;

const NUL_MESSAGE = "Text may not contain NUL characters (\\u0000).";

/**
 * Every API body is JSON: anything else is 415, unparsable JSON is 400, and so is
 * JSON over the limits below, all before a route (or Better Auth, which would
 * answer 5xx or 200 to some of it) sees it.
 * An empty body passes: sign-out and revocations carry none. Run for
 * METHODS_WITH_BODY only (request-guards.ts), so reads never touch the body.
 */
export const jsonBody = createMiddleware<AppEnv>(async (c, next) => {
  const text = await c.req.raw.clone().text();
  if (text.length === 0) return next();

  const contentType = c.req.header("content-type") ?? "";
  // Exactly the media types Hono's validator parses as JSON: a body it would skip (and check as {}) is refused here.
  const mediaType = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (!/^application\/([\w.-]+\+)?json$/.test(mediaType)) {
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
  checkParsedBody(parsed);
  c.set("json", parsed); // read from a clone: Better Auth and Hono's validator read the request itself
  return next();
});

/**
 * Throws `invalid_input` when a parsed JSON value (or a form's fields) holds
 * U+0000, which Postgres text cannot store, nests deeper than MAX_JSON_DEPTH or
 * holds more than MAX_JSON_VALUES values. Walked with a stack, not recursion:
 * 30 000 nested arrays fit in a 64 KiB body and overflow any recursive walk
 * (ours, zod's or Better Auth's) into a 500.
 */
export function checkParsedBody(value: unknown): void {
  const stack: [item: unknown, depth: number][] = [[value, 1]];
  let values = 1;
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [item, depth] = next;
    if (typeof item === "string") {
      if (item.includes("\u0000")) throw new ClaudemeshError("invalid_input", NUL_MESSAGE);
      continue;
    }
    if (item === null || typeof item !== "object") continue;
    if (depth > MAX_JSON_DEPTH) {
      throw new ClaudemeshError("invalid_input", `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`);
    }
    const entries = Object.entries(item);
    values += entries.length;
    if (values > MAX_JSON_VALUES) {
      throw new ClaudemeshError("invalid_input", `The request body holds more than ${MAX_JSON_VALUES} values.`);
    }
    for (const [key, child] of entries) {
      if (key.includes("\u0000")) throw new ClaudemeshError("invalid_input", NUL_MESSAGE);
      stack.push([child, depth + 1]);
    }
  }
}
