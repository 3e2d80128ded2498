import type { Db } from "../db/database.js";
import { sha256 } from "../hash.js";
import { giveBackAttempts, type TakenAttempt, takeAttempts } from "../limits/attempts.js";
import { RATE_LIMITS } from "../limits/rate-limits.js";

/** An invite address as a rate-limit key part: hashed, so the limits table need not hold everyone's address. */
const recipient = (email: string) => sha256(email.toLowerCase());

/** Which limit refused an invite: too many invites, too many invite emails, or too many to that one address. */
export type InviteRefusal = "invites" | "emails" | "recipient";

/**
 * Counts one invite (and, when it is emailed, one invite email) against the
 * inviter's, the mesh's and the recipient's limits, before the invite is made.
 * All or nothing: when one limit refuses, what was taken is given back. The
 * attempts are kept on success, since it is the invites that are counted.
 */
export async function takeInviteAttempts(
  db: Db,
  input: { userId: string; meshId: string; email: string | null; now: Date },
): Promise<InviteRefusal | null> {
  const groups: [InviteRefusal, TakenAttempt[]][] = [
    [
      "invites",
      [
        { key: `invite:user:${input.userId}`, limit: RATE_LIMITS.invitesPerUser },
        { key: `invite:mesh:${input.meshId}`, limit: RATE_LIMITS.invitesPerMesh },
      ],
    ],
  ];
  if (input.email !== null) {
    groups.push(
      [
        "emails",
        [
          { key: `invite-email:user:${input.userId}`, limit: RATE_LIMITS.inviteEmailsPerUser },
          { key: `invite-email:mesh:${input.meshId}`, limit: RATE_LIMITS.inviteEmailsPerMesh },
        ],
      ],
      [
        "recipient",
        [
          {
            key: `invite-email:mesh-recipient:${input.meshId}|${recipient(input.email)}`,
            limit: RATE_LIMITS.inviteEmailsPerMeshAndRecipient,
          },
          { key: `invite-email:recipient:${recipient(input.email)}`, limit: RATE_LIMITS.inviteEmailsPerRecipient },
        ],
      ],
    );
  }
  const taken: TakenAttempt[] = [];
  for (const [refusal, keys] of groups) {
    const took = await takeAttempts(db, keys, input.now);
    if (!took) {
      await giveBackAttempts(db, taken, input.now);
      return refusal;
    }
    taken.push(...took);
  }
  return null;
}
