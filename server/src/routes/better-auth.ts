import { type Context, Hono } from "hono";
import { recordSignInFailure, signInRefused, signUpRefused } from "../accounts/account-limits.js";
import type { AppEnv } from "../app-env.js";
import { type Auth, handleAuthRequest } from "../auth.js";
import type { Db } from "../db/database.js";
import { isDatabaseUnavailable } from "../db/unavailable.js";
import { databaseUnavailable, errorResponse, notFound } from "../middleware/errors.js";
import { requestInfo } from "../request-info.js";

export interface BetterAuthRouteDeps {
  auth: Auth;
  db: Db;
  now: () => Date;
}

/**
 * Better Auth's standard routes under `/api/auth/*`, with its error answers
 * reshaped to ours: `{ error, message }` (its `code` kept for its own client),
 * a JSON 404 where it answers an empty one, and a 503 where its 500 came from
 * a database it could not reach. Sign-in and sign-up are held to the same
 * database-backed limits as the web forms.
 */
export function betterAuthRoutes({ auth, db, now }: BetterAuthRouteDeps) {
  const routes = new Hono<AppEnv>();

  routes.post("/sign-in/email", async (c) => {
    const email = bodyEmail(c);
    const ip = requestInfo(c).ipAddress;
    const at = now();
    if (email && (await signInRefused(db, email, ip, at))) {
      return errorResponse(c, "rate_limited", "Too many failed sign-ins. Wait 15 minutes and try again.");
    }
    const response = await answer(c);
    if (email && response.status === 401) await recordSignInFailure(db, email, ip, at);
    return response;
  });

  routes.post("/sign-up/email", async (c) => {
    if (await signUpRefused(db, requestInfo(c).ipAddress, now())) {
      return errorResponse(c, "rate_limited", "Too many new accounts from your network. Wait an hour and try again.");
    }
    return answer(c);
  });

  routes.on(["GET", "POST"], "/*", answer);

  async function answer(c: Context<AppEnv>): Promise<Response> {
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
  }
  return routes;
}

/** The email a sign-in body names, as the JSON middleware parsed it. */
function bodyEmail(c: Context<AppEnv>): string | null {
  const json = c.var.json as { email?: unknown } | undefined;
  return typeof json?.email === "string" && json.email.length > 0 ? json.email : null;
}

function isJson(response: Response): boolean {
  return (response.headers.get("content-type") ?? "").includes("application/json");
}
