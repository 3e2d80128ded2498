import { Hono } from "hono";
import { type Auth, handleAuthRequest } from "../auth.js";
import { isDatabaseUnavailable } from "../db/unavailable.js";
import { databaseUnavailable, notFound } from "../middleware/errors.js";

/**
 * Better Auth's standard routes under `/api/auth/*`, with its error answers
 * reshaped to ours: `{ error, message }` (its `code` kept for its own client),
 * a JSON 404 where it answers an empty one, and a 503 where its 500 came from
 * a database it could not reach.
 */
export function betterAuthRoutes(auth: Auth) {
  const routes = new Hono();
  routes.on(["GET", "POST"], "/*", async (c) => {
    const { response, errors } = await handleAuthRequest(auth, c.req.raw);
    if (response.ok || response.status < 400) return response;
    const lost = response.status >= 500 ? errors.find(isDatabaseUnavailable) : undefined;
    if (lost) return databaseUnavailable(c, lost);
    if (response.status === 404 && !isJson(response)) return notFound(c);
    if (!isJson(response)) return response;

    const body = (await response.json().catch(() => null)) as { code?: unknown; message?: unknown } | null;
    const code = typeof body?.code === "string" ? body.code.toLowerCase() : "invalid_input";
    const message = typeof body?.message === "string" ? body.message : response.statusText;
    const headers = new Headers(response.headers);
    headers.delete("content-length");
    return new Response(JSON.stringify({ ...body, error: code, message }), { status: response.status, headers });
  });
  return routes;
}

function isJson(response: Response): boolean {
  return (response.headers.get("content-type") ?? "").includes("application/json");
}
