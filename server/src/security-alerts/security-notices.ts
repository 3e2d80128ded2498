import { eq } from "drizzle-orm";
import { knownLocale } from "../accounts/user-locale.js";
import type { Db } from "../db/database.js";
import { cliToken, user } from "../db/schema.js";
import type { Mailer } from "../email/mailer.js";
import { securityNoticeEmail } from "../email/templates.js";
import { currentMailLocale } from "../email-verification/mail-locale.js";
import { log } from "../log.js";
import { browserLabel } from "../pages/browser-label.js";
import type { RequestInfo } from "../request-info.js";
import { type AlertKind, createAlert } from "./alert-store.js";

/** Where a "this wasn't me" link lands: a page that asks before it acts. */
export const ALERT_PATH = "/security-alert";

export interface SecurityNoticeDeps {
  db: Db;
  mailer: Mailer;
  publicUrl: string;
}

/**
 * Emails the account about a new CLI session, a new PAT or a password change:
 * the device, address, time and flow, and a single-use "this wasn't me" link.
 * Never fails the action it reports (the credential already exists): a
 * problem is logged.
 */
export interface SecurityNotices {
  /** A CLI session or PAT was just created: `tokenId` is its row. */
  credentialCreated(tokenId: string, now: Date): Promise<void>;
  /** The account's password was changed or reset, from `request`. */
  passwordChanged(userId: string, request: RequestInfo, now: Date): Promise<void>;
}

export function securityNotices(deps: SecurityNoticeDeps): SecurityNotices {
  async function send(input: {
    userId: string;
    kind: AlertKind;
    targetId: string | null;
    device: string | null;
    flow: string | null;
    ipAddress: string | null;
    now: Date;
  }): Promise<void> {
    const [owner] = await deps.db
      .select({ email: user.email, locale: user.locale })
      .from(user)
      .where(eq(user.id, input.userId));
    if (!owner) return;
    const { secret } = await createAlert(deps.db, input);
    const url = new URL(`${ALERT_PATH}/${secret}`, deps.publicUrl).toString();
    await deps.mailer.deliver(
      securityNoticeEmail({
        to: owner.email,
        locale: knownLocale(owner.locale) ?? currentMailLocale(),
        kind: input.kind,
        device: input.device,
        flow: input.flow,
        address: input.ipAddress,
        at: input.now,
        url,
      }),
    );
  }
  const logged = async (what: string, action: () => Promise<void>) => {
    try {
      await action();
    } catch (error) {
      log.error(`security notice (${what}) not sent: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  return {
    credentialCreated: (tokenId, now) =>
      logged("credential", async () => {
        const [row] = await deps.db.select().from(cliToken).where(eq(cliToken.id, tokenId));
        if (!row) return;
        const device =
          row.kind === "session"
            ? [row.deviceName, [row.deviceOs, row.deviceArch].filter(Boolean).join("/")].filter(Boolean).join(" · ")
            : browserLabel(row.userAgent);
        await send({
          userId: row.userId,
          kind: row.kind === "session" ? "cli-session" : "pat",
          targetId: row.id,
          device: device || null,
          flow: row.flow,
          ipAddress: row.ipAddress,
          now,
        });
      }),
    passwordChanged: (userId, request, now) =>
      logged("password", () =>
        send({
          userId,
          kind: "password",
          targetId: null,
          device: browserLabel(request.userAgent),
          flow: null,
          ipAddress: request.ipAddress,
          now,
        }),
      ),
  };
}
