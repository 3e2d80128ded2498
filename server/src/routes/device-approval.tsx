import { formatUserCode, normalizeUserCode } from "@claudemesh/sdk/contracts";
import { type Context, Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import type { Db } from "../db/database.js";
import type { DeviceCodeRow } from "../device-codes/device-code-store.js";
import { decideUserCode, lookUpUserCode } from "../device-codes/user-code-decision.js";
import type { MessageKey } from "../i18n/en.js";
import { stepUpRedirect } from "../middleware/step-up.js";
import { redirectToLogin } from "../next-path.js";
import { ApprovalCard, DecisionButton } from "../pages/approval-card.js";
import { CodeEntryPage } from "../pages/code-entry-page.js";
import { Layout } from "../pages/layout.js";
import { MessagePage, type Tone } from "../pages/message-page.js";
import { requestInfo } from "../request-info.js";
import { formFields } from "../validation.js";

type Outcome = "approved" | "denied" | "expired" | "used" | "limited" | "raced" | "unknown";

const OUTCOME_PAGES: Record<
  Outcome,
  { title: MessageKey; body: MessageKey; tone: Tone; status: 200 | 404 | 409 | 410 | 429 }
> = {
  approved: { title: "device.approved.title", body: "device.approved.body", tone: "ok", status: 200 },
  denied: { title: "device.denied.title", body: "device.denied.body", tone: "bad", status: 200 },
  expired: { title: "device.expired.title", body: "device.expired.body", tone: "bad", status: 410 },
  used: { title: "device.used.title", body: "device.used.body", tone: "neutral", status: 409 },
  limited: { title: "device.limited.title", body: "device.limited.body", tone: "bad", status: 429 },
  raced: { title: "device.raced.title", body: "device.raced.body", tone: "neutral", status: 409 },
  unknown: { title: "device.unknown.title", body: "device.unknown.body", tone: "bad", status: 404 },
};

/** What a code's state means to the person looking at it. */
function outcomeFor(row: DeviceCodeRow, status: string, viewerId: string): Outcome | "pending" {
  if (status === "pending" || status === "expired") return status;
  const mine = row.userId === viewerId;
  if (status === "approved") return mine ? "approved" : "used";
  return mine ? "denied" : "used";
}

/**
 * `/cli-auth?code=ABCD-EFGH`: the page `claudemesh login` sends people to.
 * Signed out → `/login`; otherwise a form with the code filled in (or empty),
 * which posts here; a pending code → the approval card, whose buttons post
 * back here; anything else → its own page.
 */
export function deviceApprovalRoutes({ db, now }: { db: Db; now: () => Date }) {
  const routes = new Hono<AppEnv>();

  const outcomePage = (c: Context<AppEnv>, outcome: Outcome, code = "") => {
    const { t } = c.var.page;
    const shown = OUTCOME_PAGES[outcome];
    const retry = outcome === "unknown" || outcome === "expired";
    return c.html(
      <MessagePage page={c.var.page} title={t(shown.title)} message={t(shown.body, { code })} tone={shown.tone}>
        {retry ? (
          <p class="switch-form">
            <a href="/cli-auth">{t("device.enter.again")}</a>
          </p>
        ) : null}
      </MessagePage>,
      shown.status,
    );
  };

  const signInFirst = (c: Context<AppEnv>, code: string) => {
    const back = code ? `/cli-auth?code=${encodeURIComponent(code)}` : "/cli-auth";
    return redirectToLogin(c, back);
  };

  // A GET never looks a code up: a top-level navigation from any site carries the Lax session cookie,
  // so counting here would let another site spend this account's and this address's lookups.
  routes.get("/", (c) => {
    const typed = (c.req.query("code") ?? "").trim();
    if (!c.var.page.viewer) return signInFirst(c, typed);
    if (!typed) return c.html(<CodeEntryPage page={c.var.page} />);
    if (!normalizeUserCode(typed)) return c.html(<CodeEntryPage page={c.var.page} typed={typed} invalid />, 400);
    return c.html(<CodeEntryPage page={c.var.page} typed={typed.toUpperCase()} prefilled />);
  });

  // Same-origin posts only (app.ts): the code form looks the code up and shows its card; the card's buttons decide.
  routes.post("/", formFields, async (c) => {
    const form = c.req.valid("form");
    const typed = (form.code ?? "").trim();
    const viewer = c.var.page.viewer;
    if (!viewer) return signInFirst(c, typed);
    const decision = form.decision === "approve" ? "approved" : form.decision === "deny" ? "denied" : undefined;
    if (form.decision !== undefined && !decision) return c.html(<CodeEntryPage page={c.var.page} typed={typed} />, 400);
    if (!normalizeUserCode(typed)) return c.html(<CodeEntryPage page={c.var.page} typed={typed} invalid />, 400);
    const at = now();
    // Approving needs a fresh proof of who you are (refusing never does); the code form waits on the way back.
    const confirmFirst =
      decision === "approved" ? stepUpRedirect(c, at, `/cli-auth?code=${encodeURIComponent(typed)}`) : null;
    if (confirmFirst) return confirmFirst;
    const found = await lookUpUserCode(db, { typed, userId: viewer.id, request: requestInfo(c), now: at });
    if (found.kind !== "found") return outcomePage(c, found.kind, typed.toUpperCase());
    if (!decision) {
      const outcome = outcomeFor(found.row, found.status, viewer.id);
      return outcome === "pending"
        ? approvalCard(c, found.row, formatUserCode(found.userCode), at)
        : outcomePage(c, outcome);
    }
    const decided = await decideUserCode(db, found, decision, viewer.id, requestInfo(c), at);
    if (decided.kind === "decided") return outcomePage(c, decision);
    if (decided.kind === "raced") return outcomePage(c, "raced");
    return outcomePage(c, decided.status === "expired" ? "expired" : "used");
  });

  const approvalCard = (c: Context<AppEnv>, row: DeviceCodeRow, code: string, at: Date) => {
    const { t } = c.var.page;
    return c.html(
      <Layout page={c.var.page} title={t("device.card.title")}>
        <ApprovalCard
          page={c.var.page}
          code={code}
          device={{ name: row.deviceName, os: row.deviceOs, arch: row.deviceArch, ipAddress: row.ipAddress }}
          requestedAt={row.createdAt}
          expiresAt={row.expiresAt}
          now={at}
          approverAddress={requestInfo(c).ipAddress}
          actions={
            <>
              <DecisionButton action="/cli-auth" fields={{ code }} decision="deny" label={t("device.card.deny")} />
              <DecisionButton
                action="/cli-auth"
                fields={{ code }}
                decision="approve"
                label={t("device.card.approve")}
              />
            </>
          }
        />
      </Layout>,
    );
  };

  return routes;
}
