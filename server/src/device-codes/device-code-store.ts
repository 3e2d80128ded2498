import { randomBytes, randomInt, randomUUID } from "node:crypto";
import {
  type DeviceCodeRequest,
  type DeviceCodeStatus,
  USER_CODE_ALPHABET,
  USER_CODE_LENGTH,
  type User,
} from "@claudemesh/sdk/contracts";
import { and, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import { recordAudit } from "../audit.js";
import type { Db } from "../db/database.js";
import { cliDeviceCode } from "../db/schema.js";
import { sha256 } from "../hash.js";
import type { RequestInfo } from "../request-info.js";
import { startCliSession } from "../tokens/token-store.js";
import { DEVICE_CODE_CHANNEL } from "./wakeups.js";

/** RFC 8628 §3.2 `expires_in`: how long a person has to approve. */
export const DEVICE_CODE_LIFETIME_MS = 10 * 60 * 1000;
/** An approved code keeps its token claimable this long, then expires. */
export const CLAIM_WINDOW_MS = 60 * 1000;
/** Poll interval handed out (seed 003: 1.5 s). */
export const POLL_INTERVAL_MS = 1500;
/** RFC 8628 §3.5: each slow_down adds 5 s to the interval. */
export const SLOW_DOWN_STEP_MS = 5000;
export const MAX_POLL_INTERVAL_MS = 30_000;
/** Network and timer jitter: a poll this much early still counts as on time. */
const POLL_GRACE_MS = 250;
/** Expired codes are deleted this long after they expire. */
const RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

export type DeviceCodeRow = typeof cliDeviceCode.$inferSelect;

export interface CreatedDeviceCode {
  deviceCode: string;
  /** Without the dash: "BCDFGHJK". */
  userCode: string;
  row: DeviceCodeRow;
}

/** Starts a login: stores the hashes of a fresh device code and user code. */
export async function createDeviceCode(
  db: Db,
  device: DeviceCodeRequest,
  request: RequestInfo,
  now: Date,
): Promise<CreatedDeviceCode> {
  // Lazy clean-up instead of a scheduler: cheap with the expires_at index.
  await db.delete(cliDeviceCode).where(lt(cliDeviceCode.expiresAt, new Date(now.getTime() - RETENTION_MS)));

  for (let attempt = 0; ; attempt += 1) {
    const deviceCode = randomBytes(32).toString("base64url");
    const userCode = randomUserCode();
    const [row] = await db
      .insert(cliDeviceCode)
      .values({
        id: randomUUID(),
        deviceCodeHash: sha256(deviceCode),
        userCodeHash: sha256(userCode),
        deviceName: device.device_name,
        deviceOs: device.device_os,
        deviceArch: device.device_arch,
        ipAddress: request.ipAddress,
        userAgent: request.userAgent,
        intervalMs: POLL_INTERVAL_MS,
        createdAt: now,
        expiresAt: new Date(now.getTime() + DEVICE_CODE_LIFETIME_MS),
      })
      .onConflictDoNothing()
      .returning();
    if (row) return { deviceCode, userCode, row };
    // A user code still on file (1 in 20^8 per live code) collided; draw again.
    if (attempt >= 5) throw new Error("could not find a free user code");
  }
}

function randomUserCode(): string {
  let code = "";
  for (let i = 0; i < USER_CODE_LENGTH; i += 1) code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  return code;
}

/** The status a poller or approver sees, with time taken into account. */
export function effectiveStatus(row: DeviceCodeRow, now: Date): DeviceCodeStatus {
  if (row.status === "denied") return "denied";
  if (row.status === "approved") {
    if (row.claimedAt) return "approved";
    const claimableUntil = (row.decidedAt?.getTime() ?? 0) + CLAIM_WINDOW_MS;
    return now.getTime() <= claimableUntil ? "approved" : "expired";
  }
  return now.getTime() < row.expiresAt.getTime() ? "pending" : "expired";
}

export type PollGate =
  | { kind: "unknown" }
  | { kind: "too_fast"; intervalMs: number }
  | { kind: "ok"; row: DeviceCodeRow };

/**
 * Lets a poll through only if the code's interval has passed since the last
 * one, in a single conditional UPDATE, so the rule holds across instances.
 * A poll that comes too soon raises the interval (slow_down).
 */
export async function admitPoll(db: Db, deviceCode: string, now: Date): Promise<PollGate> {
  const hash = sha256(deviceCode);
  const [row] = await db
    .update(cliDeviceCode)
    .set({ lastPolledAt: now })
    .where(
      and(
        eq(cliDeviceCode.deviceCodeHash, hash),
        or(
          isNull(cliDeviceCode.lastPolledAt),
          sql`${cliDeviceCode.lastPolledAt} <= ${now.toISOString()}::timestamptz - make_interval(secs => (${cliDeviceCode.intervalMs} - ${POLL_GRACE_MS}) / 1000.0)`,
        ),
      ),
    )
    .returning();
  if (row) return { kind: "ok", row };

  const [slowed] = await db
    .update(cliDeviceCode)
    .set({ intervalMs: sql`least(${cliDeviceCode.intervalMs} + ${SLOW_DOWN_STEP_MS}, ${MAX_POLL_INTERVAL_MS})` })
    .where(eq(cliDeviceCode.deviceCodeHash, hash))
    .returning({ intervalMs: cliDeviceCode.intervalMs });
  return slowed ? { kind: "too_fast", intervalMs: slowed.intervalMs } : { kind: "unknown" };
}

/** Re-reads a code by id (after a wake-up). */
export async function findDeviceCodeById(db: Db, id: string): Promise<DeviceCodeRow | undefined> {
  const [row] = await db.select().from(cliDeviceCode).where(eq(cliDeviceCode.id, id)).limit(1);
  return row;
}

/** A code by the user code a person typed (already normalised). */
export async function findDeviceCodeByUserCode(db: Db, userCode: string): Promise<DeviceCodeRow | undefined> {
  const [row] = await db
    .select()
    .from(cliDeviceCode)
    .where(eq(cliDeviceCode.userCodeHash, sha256(userCode)))
    .limit(1);
  return row;
}

export interface ClaimedToken {
  token: string;
  tokenId: string;
  user: User;
  expiresAt: Date;
}

/**
 * Mint at claim: marks the approved code claimed and creates its session token
 * in one transaction. The row lock makes exactly one caller win; everyone else
 * gets undefined (already claimed, or the claim window closed).
 */
export async function claimApprovedCode(
  db: Db,
  id: string,
  request: RequestInfo,
  now: Date,
): Promise<ClaimedToken | undefined> {
  return db.transaction(async (tx) => {
    const [claimed] = await tx
      .update(cliDeviceCode)
      .set({ claimedAt: now })
      .where(
        and(
          eq(cliDeviceCode.id, id),
          eq(cliDeviceCode.status, "approved"),
          isNull(cliDeviceCode.claimedAt),
          gt(cliDeviceCode.decidedAt, new Date(now.getTime() - CLAIM_WINDOW_MS)),
        ),
      )
      .returning();
    if (!claimed?.userId) return undefined;

    const session = await startCliSession(tx, {
      userId: claimed.userId,
      device: { name: claimed.deviceName, os: claimed.deviceOs, arch: claimed.deviceArch },
      // The device's address is the one that asked for the code, not the browser's.
      deviceRequest: { ipAddress: claimed.ipAddress, userAgent: claimed.userAgent },
      request,
      flow: "device-code",
      now,
    });
    if (!session) return undefined;
    await tx.update(cliDeviceCode).set({ tokenId: session.tokenId }).where(eq(cliDeviceCode.id, id));
    return { token: session.token, tokenId: session.tokenId, user: session.user, expiresAt: session.expiresAt };
  });
}

export type Decision = "approved" | "denied";

/**
 * A signed-in person approves or denies a pending code. Wakes every poller
 * waiting on it, on any instance, when the transaction commits.
 * Returns the row after the decision, or undefined when it was no longer pending.
 */
export async function decideDeviceCode(
  db: Db,
  row: DeviceCodeRow,
  decision: Decision,
  userId: string,
  request: RequestInfo,
  now: Date,
): Promise<DeviceCodeRow | undefined> {
  return db.transaction(async (tx) => {
    const [decided] = await tx
      .update(cliDeviceCode)
      .set({ status: decision, userId, decidedAt: now })
      .where(and(eq(cliDeviceCode.id, row.id), eq(cliDeviceCode.status, "pending"), gt(cliDeviceCode.expiresAt, now)))
      .returning();
    if (!decided) return undefined;
    await recordAudit(tx, {
      action: decision === "approved" ? "auth.cli.login.approved" : "auth.cli.login.denied",
      userId,
      targetId: row.id,
      request,
      metadata: { device_name: row.deviceName, device_os: row.deviceOs, device_arch: row.deviceArch },
      at: now,
    });
    await tx.execute(sql`select pg_notify(${DEVICE_CODE_CHANNEL}, ${row.id})`);
    return decided;
  });
}
