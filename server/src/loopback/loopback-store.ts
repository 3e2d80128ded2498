import { createHash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { type LoopbackAuthorizeQuery, redirectTarget, type User } from "@claudemesh/sdk/contracts";
import { ClaudemeshError } from "@claudemesh/sdk/errors";
import { and, eq, gt, isNull, lt } from "drizzle-orm";
import { recordAudit } from "../audit.js";
import type { Db } from "../db/database.js";
import { cliLoopbackCode } from "../db/schema.js";
import { sha256 } from "../hash.js";
import type { RequestInfo } from "../request-info.js";
import { startCliSession } from "../tokens/token-store.js";

/** Seed 000: the code the browser carries back is short-lived and single use. */
export const LOOPBACK_CODE_LIFETIME_MS = 60 * 1000;
const RETENTION_MS = 24 * 60 * 60 * 1000;

/** After the person approves in the browser: a code for the CLI's callback. */
export async function issueLoopbackCode(
  db: Db,
  input: { userId: string; query: LoopbackAuthorizeQuery; request: RequestInfo; now: Date },
): Promise<string> {
  const { query, now } = input;
  await db.delete(cliLoopbackCode).where(lt(cliLoopbackCode.expiresAt, new Date(now.getTime() - RETENTION_MS)));
  const code = randomBytes(32).toString("base64url");
  await db.transaction(async (tx) => {
    const id = randomUUID();
    await tx.insert(cliLoopbackCode).values({
      id,
      codeHash: sha256(code),
      userId: input.userId,
      codeChallenge: query.code_challenge,
      redirectUri: query.redirect_uri,
      deviceName: query.device_name,
      deviceOs: query.device_os,
      deviceArch: query.device_arch,
      ipAddress: input.request.ipAddress,
      userAgent: input.request.userAgent,
      createdAt: now,
      expiresAt: new Date(now.getTime() + LOOPBACK_CODE_LIFETIME_MS),
    });
    await recordAudit(tx, {
      action: "auth.cli.login.approved",
      userId: input.userId,
      targetId: id,
      request: input.request,
      metadata: {
        flow: "browser",
        redirect: redirectTarget(query.redirect_uri),
        device_name: query.device_name,
        device_os: query.device_os,
        device_arch: query.device_arch,
      },
      at: now,
    });
  });
  return code;
}

/**
 * The CLI's back channel: the code, the PKCE verifier and the redirect URI it
 * was issued for buy one session token. The code is spent on the first try,
 * right or wrong, so it cannot be guessed at.
 */
export async function redeemLoopbackCode(
  db: Db,
  input: { code: string; verifier: string; redirectUri: string; request: RequestInfo; now: Date },
): Promise<{ token: string; tokenId: string; user: User; expiresAt: Date }> {
  const refused = () =>
    new ClaudemeshError("invalid_input", "This sign-in code is unknown, already used or expired; sign in again.");
  // Spend the code in its own statement first: a failed check below must not roll the spending back.
  const [spent] = await db
    .update(cliLoopbackCode)
    .set({ usedAt: input.now })
    .where(
      and(
        eq(cliLoopbackCode.codeHash, sha256(input.code)),
        isNull(cliLoopbackCode.usedAt),
        gt(cliLoopbackCode.expiresAt, input.now),
      ),
    )
    .returning();
  if (!spent) throw refused();
  if (!challengeMatches(input.verifier, spent.codeChallenge) || input.redirectUri !== spent.redirectUri) {
    throw refused();
  }
  const session = await db.transaction((tx) =>
    startCliSession(tx, {
      userId: spent.userId,
      device: { name: spent.deviceName, os: spent.deviceOs, arch: spent.deviceArch },
      deviceRequest: input.request, // the back channel comes from the device itself
      request: input.request,
      flow: "browser",
      now: input.now,
    }),
  );
  if (!session) throw refused();
  return { token: session.token, tokenId: session.tokenId, user: session.user, expiresAt: session.expiresAt };
}

/** RFC 7636 S256: base64url(SHA-256(verifier)) equals the challenge, compared in constant time. */
function challengeMatches(verifier: string, challenge: string): boolean {
  const computed = Buffer.from(createHash("sha256").update(verifier).digest("base64url"));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}
