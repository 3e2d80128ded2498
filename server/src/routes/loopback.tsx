import {
  isEditorRedirect,
  type LoopbackAuthorizeQuery,
  LoopbackAuthorizeQuery as LoopbackAuthorizeQuerySchema,
  LoopbackTokenRequest,
  type LoopbackTokenResponse,
  redirectTarget,
} from "@claudemesh/sdk/contracts";
import { type Context, Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import type { Db } from "../db/database.js";
import { issueLoopbackCode, redeemLoopbackCode } from "../loopback/loopback-store.js";
import { pageSecurityHeaders } from "../middleware/security-headers.js";
import { stepUpRedirect } from "../middleware/step-up.js";
import { redirectToLogin } from "../next-path.js";
import { ApprovalCard, DecisionButton } from "../pages/approval-card.js";
import { Layout } from "../pages/layout.js";
import { MessagePage } from "../pages/message-page.js";
import { requestInfo } from "../request-info.js";
import type { SecurityNotices } from "../security-alerts/security-notices.js";
import { describeIssues, formFields, validJson } from "../validation.js";

export interface LoopbackRouteDeps {
  db: Db;
  now: () => Date;
}

/**
 * Browser login for desktops (seed 000): the CLI opens `/cli-auth/authorize`
 * with a loopback redirect URI, `state` and a PKCE challenge; the person
 * approves; the browser carries a 60-second code back to the CLI, which trades
 * it on the back channel (`POST /api/auth/cli/loopback/token`) for a token.
 */
export function loopbackPageRoutes({ db, now }: LoopbackRouteDeps) {
  const routes = new Hono<AppEnv>();

  const badRequest = (c: Context<AppEnv>, message: string) =>
    c.html(
      <MessagePage page={c.var.page} title={c.var.page.t("loopback.invalid.title")} message={message} tone="bad" />,
      400,
    );

  // The approval's form post is answered with a redirect to the CLI's loopback
  // address (or the editor), and form-action covers redirects too.
  const approvalHeaders = pageSecurityHeaders((c) => {
    const parsed = LoopbackAuthorizeQuerySchema.safeParse(c.req.query());
    return parsed.success ? formActionSource(parsed.data.redirect_uri) : "'self'";
  });

  routes.get("/authorize", approvalHeaders, async (c) => {
    const parsed = LoopbackAuthorizeQuerySchema.safeParse(c.req.query());
    if (!parsed.success) return badRequest(c, describeIssues(parsed.error.issues, "query"));
    const { page } = c.var;
    if (!page.viewer) {
      const next = new URL(c.req.url);
      return redirectToLogin(c, next.pathname + next.search);
    }
    const query = parsed.data;
    const fields: Record<string, string> = { ...query };
    return c.html(
      <Layout page={page} title={page.t("device.card.title")}>
        <ApprovalCard
          page={page}
          device={{ name: query.device_name, os: query.device_os, arch: query.device_arch }}
          destination={redirectTarget(query.redirect_uri)}
          now={now()}
          actions={
            <>
              <DecisionButton
                action="/cli-auth/authorize"
                fields={fields}
                decision="deny"
                label={page.t("device.card.deny")}
              />
              <DecisionButton
                action="/cli-auth/authorize"
                fields={fields}
                decision="approve"
                label={page.t("device.card.approve")}
              />
            </>
          }
        />
      </Layout>,
    );
  });

  routes.post("/authorize", formFields, async (c) => {
    const { page } = c.var;
    if (!page.viewer) {
      return c.html(
        <MessagePage
          page={page}
          title={page.t("loopback.signInFirst.title")}
          message={page.t("loopback.signInFirst.body")}
          tone="bad"
        />,
        401,
      );
    }
    const form = c.req.valid("form");
    const parsed = LoopbackAuthorizeQuerySchema.safeParse(form);
    if (!parsed.success) return badRequest(c, describeIssues(parsed.error.issues, "query"));
    const query: LoopbackAuthorizeQuery = parsed.data;
    const back = new URL(query.redirect_uri);
    back.searchParams.set("state", query.state);
    if (form.decision === "approve") {
      // As for a device code: approving needs a fresh proof of who you are, then the card again.
      const again = `/cli-auth/authorize?${new URLSearchParams(query as Record<string, string>).toString()}`;
      const confirmFirst = stepUpRedirect(c, now(), again);
      if (confirmFirst) return confirmFirst;
      const code = await issueLoopbackCode(db, { userId: page.viewer.id, query, request: requestInfo(c), now: now() });
      back.searchParams.set("code", code);
    } else {
      back.searchParams.set("error", "access_denied");
    }
    return c.redirect(back.toString(), 303);
  });

  return routes;
}

/** `POST /api/auth/cli/loopback/token`: the CLI trades the code (and its PKCE verifier) for a session token. */
export function loopbackTokenRoutes({ db, notices, now }: LoopbackRouteDeps & { notices: SecurityNotices }) {
  return new Hono<AppEnv>().post("/", validJson(LoopbackTokenRequest), async (c) => {
    const input = c.req.valid("json");
    const redeemed = await redeemLoopbackCode(db, {
      code: input.code,
      verifier: input.code_verifier,
      redirectUri: input.redirect_uri,
      request: requestInfo(c),
      now: now(),
    });
    await notices.credentialCreated(redeemed.tokenId, now());
    return c.json({
      token: redeemed.token,
      user: redeemed.user,
      expires_at: redeemed.expiresAt.toISOString(),
    } satisfies LoopbackTokenResponse);
  });
}

/** A CSP source for the redirect: the loopback origin, or the editor's scheme (`vscode:`), which has no origin. */
function formActionSource(redirectUri: string): string {
  const url = new URL(redirectUri);
  return isEditorRedirect(redirectUri) ? url.protocol : url.origin;
}
