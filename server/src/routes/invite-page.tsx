import { type Context, Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import type { Db } from "../db/database.js";
import { UnverifiedInvitePage } from "../email-verification/verification-pages.js";
import { isAddressVerified } from "../email-verification/verified-address.js";
import type { MessageKey } from "../i18n/en.js";
import { acceptInvite, lookUpInvite } from "../meshes/invite-store.js";
import { redirectToLogin } from "../next-path.js";
import { InvitePage } from "../pages/invite-page.js";
import { MessagePage, type Tone } from "../pages/message-page.js";
import { requestInfo } from "../request-info.js";
import { maskEmail } from "./invites.js";

const PROBLEMS = {
  unknown: { title: "invite.unknown.title", body: "invite.unknown.body", status: 404 },
  expired: { title: "invite.expired.title", body: "invite.expired.body", status: 410 },
  used: { title: "invite.used.title", body: "invite.used.body", status: 410 },
  revoked: { title: "invite.revoked.title", body: "invite.revoked.body", status: 410 },
} as const satisfies Record<string, { title: MessageKey; body: MessageKey; status: 404 | 410 }>;

/**
 * `/invite/:secret`: the page an invite link opens. Signed out → sign in and
 * come back; otherwise the mesh and an accept button (a plain form post), or,
 * for an invite sent to this account's address before it is verified, why not
 * yet and a button that sends the verification email again.
 */
export function invitePageRoutes({ db, now }: { db: Db; now: () => Date }) {
  const routes = new Hono<AppEnv>();

  const message = (c: Context<AppEnv>, title: string, body: string, tone: Tone, status: 200 | 403 | 404 | 410) =>
    c.html(<MessagePage page={c.var.page} title={title} message={body} tone={tone} />, status);

  const problem = (c: Context<AppEnv>, kind: keyof typeof PROBLEMS) => {
    const { t } = c.var.page;
    const shown = PROBLEMS[kind];
    return message(c, t(shown.title), t(shown.body), "bad", shown.status);
  };

  routes.get("/:secret", async (c) => {
    const here = `/invite/${encodeURIComponent(c.req.param("secret"))}`;
    if (!c.var.page.viewer) return redirectToLogin(c, here);
    const found = await lookUpInvite(db, c.req.param("secret"), now());
    if (found.kind !== "open") return problem(c, found.kind);
    const { viewer } = c.var.page;
    const forViewer = found.invite.email?.toLowerCase() === viewer.email.toLowerCase();
    if (forViewer && !(await isAddressVerified(db, viewer.id))) {
      return c.html(<UnverifiedInvitePage page={c.var.page} email={viewer.email} next={here} />);
    }
    return c.html(
      <InvitePage
        page={c.var.page}
        action={here}
        mesh={found.mesh}
        role={found.invite.role}
        invitedBy={found.invitedBy}
        expiresAt={found.invite.expiresAt}
      />,
    );
  });

  routes.post("/:secret", async (c) => {
    const viewer = c.var.page.viewer;
    const here = `/invite/${encodeURIComponent(c.req.param("secret"))}`;
    if (!viewer) return redirectToLogin(c, here);
    const result = await acceptInvite(db, {
      secret: c.req.param("secret"),
      userId: viewer.id,
      request: requestInfo(c),
      now: now(),
    });
    const { t } = c.var.page;
    if (result.kind === "wrong_account") {
      return message(
        c,
        t("invite.wrongAccount.title"),
        t("invite.wrongAccount.body", { email: maskEmail(result.email) }),
        "bad",
        403,
      );
    }
    if (result.kind === "email_unverified") {
      return c.html(<UnverifiedInvitePage page={c.var.page} email={viewer.email} next={here} />, 403);
    }
    if (result.kind !== "joined" && result.kind !== "already_member") return problem(c, result.kind);
    const values = { mesh: result.mesh.name, slug: result.mesh.slug };
    const title = result.kind === "joined" ? t("invite.joined.title", values) : t("invite.already.title", values);
    return message(c, title, t("invite.joined.body", values), "ok", 200);
  });

  return routes;
}
