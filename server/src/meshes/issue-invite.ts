import type { InviteRole } from "@claudemesh/sdk/contracts";
import { ClaudemeshError } from "@claudemesh/sdk/errors";
import { accountLocale } from "../accounts/user-locale.js";
import type { Db } from "../db/database.js";
import type { DeliveryStatus, Mailer } from "../email/mailer.js";
import { inviteEmail } from "../email/templates.js";
import type { Locale } from "../i18n/locale.js";
import type { RequestInfo } from "../request-info.js";
import { type InviteRefusal, takeInviteAttempts } from "./invite-limits.js";
import { createInvite, type InviteRow } from "./invite-store.js";
import { findMembership, type MeshRow } from "./mesh-store.js";

/** What a refused invite's 429 says to do instead. */
const REFUSALS: Record<InviteRefusal, string> = {
  invites: "Too many invites from you or for this mesh today. Try again tomorrow.",
  emails:
    "Too many invite emails from you or for this mesh today. Create the invite without an email and send its link yourself, or try again tomorrow.",
  recipient:
    "That address has been sent too many invites today. Create the invite without an email and send its link yourself, or try again tomorrow.",
};

/** The link an invite is shared as: its page on this server, carrying the secret. */
function inviteUrl(publicUrl: string, secret: string): string {
  return new URL(`/invite/${secret}`, publicUrl).toString();
}

export interface IssuedInvite {
  url: string;
  row: InviteRow;
  mesh: MeshRow;
  emailStatus: DeliveryStatus | "none";
}

/**
 * An invite made by one of the mesh's owners or admins, the API's and the
 * dashboard's alike: counted against the invite limits first, then made, then
 * emailed when it names an address. Throws `not_found` (not in that mesh),
 * `forbidden` (a member) or `rate_limited`.
 */
export async function issueInvite(
  deps: { db: Db; mailer: Mailer; publicUrl: string },
  input: {
    inviter: { id: string; name: string };
    mesh: string;
    email: string | null;
    role: InviteRole;
    expiresInSeconds: number;
    request: RequestInfo;
    /** The inviter's language (their page's or request's): the email's, unless the address has an account. */
    locale: Locale;
    now: Date;
  },
): Promise<IssuedInvite> {
  const { db } = deps;
  const membership = await findMembership(db, input.inviter.id, input.mesh);
  if (!membership) throw new ClaudemeshError("not_found", "You are not in a mesh with that id or slug.");
  if (membership.view.role === "member") {
    throw new ClaudemeshError("forbidden", "Only a mesh's owners and admins can invite people.");
  }
  const refused = await takeInviteAttempts(db, {
    userId: input.inviter.id,
    meshId: membership.row.id,
    email: input.email,
    now: input.now,
  });
  if (refused) throw new ClaudemeshError("rate_limited", REFUSALS[refused]);
  const { secret, row } = await createInvite(db, {
    mesh: membership.row,
    createdBy: input.inviter.id,
    email: input.email,
    role: input.role,
    expiresInSeconds: input.expiresInSeconds,
    request: input.request,
    now: input.now,
  });
  const url = inviteUrl(deps.publicUrl, secret);
  // In the recipient's language when the address has an account that keeps one; else the inviter's.
  const emailStatus = input.email
    ? await deps.mailer.deliver(
        inviteEmail({
          to: input.email,
          locale: (await accountLocale(db, input.email)) ?? input.locale,
          inviter: input.inviter.name,
          mesh: membership.row.name,
          role: row.role,
          url,
          expiresAt: row.expiresAt,
        }),
      )
    : "none";
  return { url, row, mesh: membership.row, emailStatus };
}
