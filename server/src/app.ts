import { ClaudemeshError } from "@claudemesh/sdk/errors";
import { sql } from "drizzle-orm";
import { Hono } from "hono";
import { deviceCookies } from "./accounts/device-cookies.js";
import { passwordLimits, realSleep, type Sleep } from "./accounts/password-attempts.js";
import type { AppEnv } from "./app-env.js";
import { type Auth, serverSecret } from "./auth.js";
import { type BrokerMetrics, metricsRoutes } from "./broker/metrics.js";
import type { Database } from "./db/database.js";
import { DeviceCodeWakeups } from "./device-codes/wakeups.js";
import { createMailer, type Mailer } from "./email/mailer.js";
import { mailLocale } from "./email-verification/mail-locale.js";
import { VERIFIED_PATH } from "./email-verification/verification-email.js";
import { RESEND_PATH } from "./email-verification/verification-pages.js";
import { answerHeaders } from "./middleware/answer-headers.js";
import { requireCaller } from "./middleware/caller.js";
import { clientAddressBehindProxies, passClientAddress } from "./middleware/client-address.js";
import { noRoute, notFound, onError } from "./middleware/errors.js";
import { pageContext } from "./middleware/page-context.js";
import { requestGuards } from "./middleware/request-guards.js";
import { sameOrigin } from "./middleware/same-origin.js";
import { requireFreshWebSession } from "./middleware/step-up.js";
import { TOKENS_PATH } from "./pages/cli-tokens-page.js";
import { MESHES_PATH } from "./pages/meshes-page.js";
import { oneTimeFlash } from "./pages/one-time-flash.js";
import { SECURITY_PATH } from "./pages/security-page.js";
import { FORGOT_PASSWORD_PATH, RESET_PASSWORD_PATH } from "./password-reset/password-reset.js";
import { type ApprovalPolicy, approvalGuard, OPEN_POLICY } from "./policy/approval-policy.js";
import { assetRoutes } from "./routes/assets.js";
import { betterAuthRoutes } from "./routes/better-auth.js";
import { cliSessionRoutes } from "./routes/cli-sessions.js";
import { cliTokenRoutes } from "./routes/cli-tokens.js";
import { cliTokensDashboardRoutes } from "./routes/cli-tokens-dashboard.js";
import { deviceApprovalRoutes } from "./routes/device-approval.js";
import { deviceCodeRoutes } from "./routes/device-code.js";
import { emailVerificationRoutes, resendNeedsSession } from "./routes/email-verification.js";
import { invitePageRoutes } from "./routes/invite-page.js";
import { inviteRoutes } from "./routes/invites.js";
import { loopbackPageRoutes, loopbackTokenRoutes } from "./routes/loopback.js";
import { meshPeerRoutes } from "./routes/mesh-peers.js";
import { meshRoutes } from "./routes/meshes.js";
import { meshesDashboardRoutes } from "./routes/meshes-dashboard.js";
import { passwordResetRoutes } from "./routes/password-reset.js";
import { securityAlertRoutes } from "./routes/security-alert.js";
import { securityDashboardRoutes } from "./routes/security-dashboard.js";
import { confirmRoutes, secondFactorDashboardRoutes, twoFactorSignInRoutes } from "./routes/step-up.js";
import { telemetryRoutes } from "./routes/telemetry.js";
import { webAuthRoutes } from "./routes/web-auth.js";
import { whoamiRoutes } from "./routes/whoami.js";
import { CONFIRM_PATH } from "./step-up/freshness.js";
import { logTokenUseFailure, prepareTokenUseRecorder, type TokenUseRecorder } from "./tokens/token-use-recorder.js";

/** Where sign-in asks for the second factor after a right password. */
const TWO_FACTOR_SIGN_IN_PATH = "/login/two-factor";

/**
 * Better Auth's JSON routes that change how the account proves itself: only a
 * browser session that did so in the last hour (step-up). Its two-factor routes
 * are not served at all: the pages call them in-process, under the password limits.
 */
const STEP_UP_AUTH_PATHS = [
  "/api/auth/change-password",
  "/api/auth/passkey/generate-register-options",
  "/api/auth/passkey/verify-registration",
  "/api/auth/passkey/delete-passkey",
];

import { ALERT_PATH, securityNotices } from "./security-alerts/security-notices.js";

/** Paths that answer with pages (HTML) rather than JSON. */
const PAGE_PATHS = [
  "/",
  "/login",
  "/register",
  "/logout",
  "/lang/*",
  "/cli-auth",
  "/cli-auth/*",
  "/dashboard",
  "/dashboard/*",
  "/invite/*",
  VERIFIED_PATH,
  `${VERIFIED_PATH}/*`,
  CONFIRM_PATH,
  `${CONFIRM_PATH}/*`,
  TWO_FACTOR_SIGN_IN_PATH,
  FORGOT_PASSWORD_PATH,
  RESET_PASSWORD_PATH,
  `${ALERT_PATH}/*`,
];

/** Routes that may send a verification email, which is written in the request's language. */
const MAIL_SENDING_PATHS = [
  "/register",
  "/api/auth/sign-up/email",
  "/api/auth/send-verification-email",
  "/api/auth/request-password-reset",
  RESEND_PATH,
  FORGOT_PASSWORD_PATH,
];

export interface AppDeps {
  database: Database;
  auth: Auth;
  /** Where browsers reach the server: verification URLs and the same-origin check use it. */
  publicUrl: string;
  /** The clock every expiry is judged by; tests move it. */
  now?: () => Date;
  /** Sends invite emails; by default they wait in the email_outbox table. */
  mailer?: Mailer;
  /** Reverse proxies in front whose X-Forwarded-For entries are trusted (TRUST_PROXY); default 0. */
  trustedProxies?: number;
  /** How a refused password's answer is held back (the tarpit); tests pass one that only records the wait. */
  sleep?: Sleep;
  /** The owner's policy for CLI sign-ins (DEVICE_FLOW, APPROVAL_NETWORKS); default: both flows, from anywhere. */
  policy?: ApprovalPolicy;
  /** `/metrics` on the API port, behind `Authorization: Bearer <token>` (METRICS_TOKEN); unset: not served here. */
  metricsEndpoint?: { metrics: BrokerMetrics; token: string };
  /** Writes tokens' uses after their requests are answered; whoever closes the database first waits for `settled()`. */
  tokenUses?: TokenUseRecorder;
}

/**
 * The whole HTTP surface, with no `listen()`: tests call `app.request()`,
 * `main.ts` serves it.
 */
export function createApp({
  database,
  auth,
  publicUrl,
  now = () => new Date(),
  mailer,
  trustedProxies = 0,
  sleep = realSleep,
  policy = OPEN_POLICY,
  metricsEndpoint,
  tokenUses = prepareTokenUseRecorder(database.db, logTokenUseFailure),
}: AppDeps) {
  const { db } = database;
  const secureCookies = new URL(publicUrl).protocol === "https:";
  const devices = deviceCookies({ db, secret: serverSecret(auth), secure: secureCookies });
  const passwords = passwordLimits({ db, sleep, devices });
  const mail = mailer ?? createMailer({ db, transport: null, from: "claudemesh <no-reply@localhost>", now });
  const notices = securityNotices({ db, mailer: mail, publicUrl });
  const app = new Hono<AppEnv>();

  // Outermost, so error answers (thrown anywhere below) are covered too.
  app.use("*", answerHeaders());

  // Rate limits, audit rows and device fingerprints all key on this address.
  if (trustedProxies > 0) app.use("*", clientAddressBehindProxies(trustedProxies));

  app.use("*", requestGuards());
  for (const path of MAIL_SENDING_PATHS) app.use(path, mailLocale());

  app.get("/healthz", async (c) => {
    try {
      await db.execute(sql`select 1`);
    } catch {
      // Any failure of `select 1` means the database cannot serve requests, whatever its code.
      throw new ClaudemeshError("database_unavailable", "The database is not answering.");
    }
    return c.json({ status: "ok" });
  });

  // Ours first: Better Auth's catch-all below would answer 404 for these.
  const wakeups = new DeviceCodeWakeups(database);
  app.route("/api/auth/cli/device-code", deviceCodeRoutes({ db, auth, wakeups, publicUrl, policy, notices, now }));
  app.route("/api/auth/cli/loopback/token", loopbackTokenRoutes({ db, notices, now }));
  app.use("/api/auth/*", passClientAddress);
  app.use("/api/auth/send-verification-email", resendNeedsSession(auth));
  for (const path of STEP_UP_AUTH_PATHS) app.use(path, requireFreshWebSession(auth, now));
  app.all("/api/auth/two-factor/*", (c) => {
    throw noRoute(c);
  });
  app.route("/api/auth", betterAuthRoutes({ auth, db, passwords, now }));

  // Server-rendered pages: one session read, language, security headers, and
  // same-origin form posts for all of them.
  for (const path of PAGE_PATHS) app.use(path, passClientAddress, pageContext(auth), sameOrigin(publicUrl));
  // Before the pages' own checks: a refused network sees why at once, and nothing is looked up.
  app.use("/cli-auth", approvalGuard(policy, "device"));
  app.use("/cli-auth/authorize", approvalGuard(policy, "loopback"));
  app.route("/assets", assetRoutes());
  app.route("/", webAuthRoutes({ db, auth, passwords, publicUrl, now }));
  app.route(CONFIRM_PATH, confirmRoutes({ db, auth, passwords, now }));
  app.route(TWO_FACTOR_SIGN_IN_PATH, twoFactorSignInRoutes({ auth }));
  app.route("/", passwordResetRoutes({ db, auth, now }));
  app.route(ALERT_PATH, securityAlertRoutes({ db, now }));
  app.route("/cli-auth", deviceApprovalRoutes({ db, now }));
  app.route("/cli-auth", loopbackPageRoutes({ db, now }));
  app.route("/invite", invitePageRoutes({ db, now }));
  app.route(VERIFIED_PATH, emailVerificationRoutes({ db, auth }));
  app.get("/dashboard", (c) => c.redirect(TOKENS_PATH, 302));
  const flashes = oneTimeFlash(serverSecret(auth), secureCookies);
  app.route(TOKENS_PATH, cliTokensDashboardRoutes({ db, flashes, notices, now }));
  app.route(SECURITY_PATH, secondFactorDashboardRoutes({ db, auth, passwords, now }));
  app.route(SECURITY_PATH, securityDashboardRoutes({ db, auth, passwords, now }));
  app.route(MESHES_PATH, meshesDashboardRoutes({ db, mailer: mail, publicUrl, flashes, now }));

  const signedIn = requireCaller({ db, auth, publicUrl, tokenUses, now });
  app.use("/api/my/*", signedIn);
  app.route("/api/my/whoami", whoamiRoutes());
  app.route("/api/my/cli/sessions", cliSessionRoutes({ db, tokenUses, now }));
  app.route("/api/my/cli/tokens", cliTokenRoutes({ db, notices, tokenUses, now }));
  app.route("/api/my/meshes", meshRoutes({ db, mailer: mail, publicUrl, now }));
  app.route("/api/my/meshes", meshPeerRoutes({ db, now }));
  app.use("/api/invites/*", signedIn);
  app.route("/api/invites", inviteRoutes({ db, now }));
  app.route("/api/telemetry", telemetryRoutes({ db, now }));
  if (metricsEndpoint) app.route("/metrics", metricsRoutes(metricsEndpoint.metrics, metricsEndpoint.token));

  app.notFound(notFound);
  app.onError(onError);
  return app;
}

export type App = ReturnType<typeof createApp>;
