import { ClaudemeshError } from "@claudemesh/sdk/errors";
import { type Context, Hono } from "hono";
import { type PasswordCheck, type PasswordLimits, takeSignUpAttempt } from "../accounts/password-attempts.js";
import { endWebSessions, type WebSessionSelector } from "../accounts/web-sessions.js";
import type { AppEnv } from "../app-env.js";
import { type Auth, handleAuthRequest } from "../auth.js";
import type { Db } from "../db/database.js";
import { isDatabaseUnavailable } from "../db/unavailable.js";
import { noRoute } from "../middleware/errors.js";
import { takePasswordResetAttempt } from "../password-reset/password-reset.js";
import { requestInfo } from "../request-info.js";

export interface BetterAuthRouteDeps {
  auth: Auth;
  db: Db;
  passwords: PasswordLimits;
  now: () => Date;
}

/**
 * Better Auth's standard routes under `/api/auth/*`, with its error answers
 * reshaped to ours: `{ error, message }` (its `code` kept for its own client),
 * a JSON 404 where it answers an empty one, and a 503 where its 500 came from
 * a database it could not reach. Sign-in and sign-up are held to the same
 * database-backed limits as the web forms.
 */
export function betterAuthRoutes({ auth, db, passwords, now }: BetterAuthRouteDeps) {
  const routes = new Hono<AppEnv>();

  const refusedPassword = () =>
    new ClaudemeshError(
      "rate_limited",
      "Too many wrong passwords for this account from your network. Wait a few minutes and try again.",
    );

  /** Hands a password-checking request to Better Auth under the password limits of `email`. */
  async function checkingPassword(c: Context<AppEnv>, email: string, request = c.req.raw) {
    const checked = await passwords.attempt(c, email, now(), async () => {
      const response = await answer(c, request);
      return { outcome: await passwordCheckOf(response), value: response };
    });
    if (checked.refused) throw refusedPassword();
    return checked.value;
  }

  /** `response` with `email`'s device cookie added when it is a sign-in that went through (device-cookies.ts). */
  async function withDeviceCookie(response: Response, email: string | null | undefined): Promise<Response> {
    const device = response.ok && email ? await passwords.devices.issue(email) : null;
    if (!device) return response;
    const headers = new Headers(response.headers);
    headers.append("set-cookie", device);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }

  // A browser that signs in is given the account's device cookie: with a password (also before an
  // authenticator code) or with a passkey, so a passkey's owner is known when a password is asked later.
  routes.post("/sign-in/email", async (c) => {
    const email = bodyField(c, "email");
    if (!email) return answer(c);
    return withDeviceCookie(await checkingPassword(c, email), email);
  });
  routes.post("/passkey/verify-authentication", async (c) => {
    const response = await answer(c);
    if (!response.ok) return response;
    const body = (await response
      .clone()
      .json()
      .catch(() => null)) as { user?: { email?: unknown } } | null;
    const email = body?.user?.email;
    return withDeviceCookie(response, typeof email === "string" ? email : null);
  });

  // The signed-in account's password, checked again: the same limits as signing in.
  routes.post("/verify-password", async (c) => {
    const session = await auth.api.getSession({ headers: c.req.raw.headers });
    return session ? checkingPassword(c, session.user.email) : answer(c);
  });

  // The same limits. A new password ends every other session, browser and CLI, in auth.ts's hook,
  // one audit row each; Better Auth's own revokeOtherSessions would end them unrecorded first.
  routes.post("/change-password", async (c) => {
    const session = await auth.api.getSession({ headers: c.req.raw.headers });
    if (!session) return answer(c);
    const body = { ...(c.var.json as object | undefined), revokeOtherSessions: false };
    return checkingPassword(c, session.user.email, withJsonBody(c.req.raw, body));
  });

  // Session tokens are stored hashed (accounts/hashed-session-tokens.ts), so Better Auth's own
  // revocations, which compare and delete by token, miss the rows listed by user: after its checks
  // pass, the same sessions are ended here by id or by stored hash.
  routes.post("/revoke-other-sessions", async (c) => {
    const response = await answer(c);
    const session = response.ok ? await auth.api.getSession({ headers: c.req.raw.headers }) : null;
    if (session) await endSessions(c, session.user.id, { allBut: session.session.id });
    return response;
  });
  routes.post("/revoke-session", async (c) => {
    const session = await auth.api.getSession({ headers: c.req.raw.headers });
    const response = await answer(c);
    const listed = bodyField(c, "token");
    if (response.ok && session && listed) await endSessions(c, session.user.id, { storedToken: listed });
    return response;
  });
  const endSessions = (c: Context<AppEnv>, userId: string, which: WebSessionSelector) =>
    endWebSessions(db, { userId, which, request: requestInfo(c), now: now() });

  routes.post("/sign-up/email", async (c) => {
    if (!(await takeSignUpAttempt(db, requestInfo(c).ipAddress, now()))) {
      throw new ClaudemeshError("rate_limited", "Too many new accounts from your network. Wait an hour and try again.");
    }
    return answer(c);
  });

  // Counted before Better Auth looks the address up, so being refused tells nothing about it.
  routes.post("/request-password-reset", async (c) => {
    const email = bodyField(c, "email");
    if (email && !(await takePasswordResetAttempt(db, { email, ip: requestInfo(c).ipAddress, now: now() }))) {
      throw new ClaudemeshError(
        "rate_limited",
        "Too many password reset emails asked for. Wait an hour and try again.",
      );
    }
    return answer(c);
  });

  routes.on(["GET", "POST"], "/*", (c) => answer(c));

  async function answer(c: Context<AppEnv>, request = c.req.raw): Promise<Response> {
    const { response, errors } = await handleAuthRequest(auth, request);
    if (response.ok || response.status < 400) return response;
    const lost = response.status >= 500 ? errors.find(isDatabaseUnavailable) : undefined;
    // Hono hands only Errors to onError; a driver's plain object rides along as the cause.
    if (lost) throw lost instanceof Error ? lost : new Error("Better Auth lost the database", { cause: lost });
    if (response.status === 404 && !isJson(response)) throw noRoute(c);
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

/** A string field of the JSON body, as the JSON middleware parsed it. */
function bodyField(c: Context<AppEnv>, name: string): string | null {
  const value = (c.var.json as Record<string, unknown> | undefined)?.[name];
  return typeof value === "string" && value.length > 0 ? value : null;
}

// Better Auth's codes for a password that was compared and did not match.
const WRONG_PASSWORD_CODES = new Set(["invalid_email_or_password", "invalid_password"]);

/** Whether an answer from Better Auth means a password was compared, and how it went. */
async function passwordCheckOf(response: Response): Promise<PasswordCheck> {
  if (response.ok) return "right";
  if (!isJson(response)) return "unchecked";
  const body = (await response
    .clone()
    .json()
    .catch(() => null)) as { error?: unknown } | null;
  return typeof body?.error === "string" && WRONG_PASSWORD_CODES.has(body.error) ? "wrong" : "unchecked";
}

function isJson(response: Response): boolean {
  return (response.headers.get("content-type") ?? "").includes("application/json");
}

/** `request` with another JSON body: its headers, but not the old body's length. */
function withJsonBody(request: Request, body: unknown): Request {
  const headers = new Headers(request.headers);
  headers.delete("content-length");
  return new Request(request.url, { method: request.method, headers, body: JSON.stringify(body) });
}
