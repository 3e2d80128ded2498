import {
  type LoopbackAuthorizeQuery,
  LoopbackAuthorizeQuery as LoopbackAuthorizeQuerySchema,
  LoopbackTokenRequest,
  type LoopbackTokenResponse,
} from "@claudemesh/sdk/contracts";
import { type Context, Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import type { Auth } from "../auth.js";
import type { Db } from "../db/database.js";
import { issueLoopbackCode, redeemLoopbackCode } from "../loopback/loopback-store.js";
import { isSameOrigin } from "../middleware/same-origin.js";
import { ApprovalCard } from "../pages/approval-card.js";
import { Layout } from "../pages/layout.js";
import { MessagePage } from "../pages/message-page.js";
import { requestInfo } from "../request-info.js";
import { readJson } from "../validation.js";

export interface LoopbackRouteDeps {
  db: Db;
  auth: Auth;
  publicUrl: string;
  now: () => Date;
}

/**
 * Browser login for desktops (seed 000): the CLI opens `/cli-auth/authorize`
 * with a loopback redirect URI, `state` and a PKCE challenge; the person
 * approves; the browser carries a 60-second code back to the CLI, which trades
 * it on the back channel (`POST /api/auth/cli/loopback/token`) for a token.
 */
export function loopbackPageRoutes({ db, auth, publicUrl, now }: LoopbackRouteDeps) {
  const routes = new Hono<AppEnv>();
  const ours = new URL(publicUrl).origin;

  const badRequest = (c: Context, message: string) =>
    c.html(<MessagePage title="This sign-in link is not valid" message={message} />, 400);

  routes.get("/authorize", async (c) => {
    const parsed = LoopbackAuthorizeQuerySchema.safeParse(c.req.query());
    if (!parsed.success) return badRequest(c, describe(parsed.error.issues));
    const session = await auth.api.getSession({ headers: c.req.raw.headers });
    if (!session) {
      const next = new URL(c.req.url);
      return c.redirect(`/login?next=${encodeURIComponent(next.pathname + next.search)}`, 302);
    }
    const query = parsed.data;
    const hidden = Object.entries(query).map(([name, value]) => <input type="hidden" name={name} value={value} />);
    const button = (decision: "approve" | "deny", label: string) => (
      <form method="post" action="/cli-auth/authorize">
        {hidden}
        <button type="submit" name="decision" value={decision} class={decision === "approve" ? "primary" : ""}>
          {label}
        </button>
      </form>
    );
    return c.html(
      <Layout title="Link this CLI session?">
        <ApprovalCard
          device={{ name: query.device_name, os: query.device_os, arch: query.device_arch }}
          email={session.user.email}
          actions={
            <>
              {button("approve", "Approve")}
              {button("deny", "Deny")}
            </>
          }
        />
      </Layout>,
    );
  });

  routes.post("/authorize", async (c) => {
    if (!isSameOrigin(c.req.header("origin"), c.req.header("sec-fetch-site"), ours)) {
      return c.html(<MessagePage title="Request refused" message="Cross-site request refused." />, 403);
    }
    const session = await auth.api.getSession({ headers: c.req.raw.headers });
    if (!session)
      return c.html(
        <MessagePage title="Sign in first" message="Your browser session ended; start again from your terminal." />,
        401,
      );
    const form = await c.req.parseBody();
    const parsed = LoopbackAuthorizeQuerySchema.safeParse(form);
    if (!parsed.success) return badRequest(c, describe(parsed.error.issues));
    const query: LoopbackAuthorizeQuery = parsed.data;
    const back = new URL(query.redirect_uri);
    back.searchParams.set("state", query.state);
    if (form.decision === "approve") {
      const code = await issueLoopbackCode(db, { userId: session.user.id, query, request: requestInfo(c), now: now() });
      back.searchParams.set("code", code);
    } else {
      back.searchParams.set("error", "access_denied");
    }
    return c.redirect(back.toString(), 303);
  });

  return routes;
}

/** `POST /api/auth/cli/loopback/token`: the CLI trades the code (and its PKCE verifier) for a session token. */
export function loopbackTokenRoutes({ db, now }: Pick<LoopbackRouteDeps, "db" | "now">) {
  return new Hono<AppEnv>().post("/", async (c) => {
    const input = await readJson(c, LoopbackTokenRequest);
    const redeemed = await redeemLoopbackCode(db, {
      code: input.code,
      verifier: input.code_verifier,
      redirectUri: input.redirect_uri,
      request: requestInfo(c),
      now: now(),
    });
    return c.json({
      token: redeemed.token,
      user: redeemed.user,
      expires_at: redeemed.expiresAt.toISOString(),
    } satisfies LoopbackTokenResponse);
  });
}

function describe(issues: { path: PropertyKey[]; message: string }[]): string {
  return issues.map((issue) => `${issue.path.join(".") || "query"}: ${issue.message}`).join("; ");
}
