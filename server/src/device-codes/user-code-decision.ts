import type { DeviceCodeStatus } from "@claudemesh/sdk/contracts";
import { normalizeUserCode } from "@claudemesh/sdk/contracts";
import type { Db } from "../db/database.js";
import { addressKey } from "../limits/address-key.js";
import { giveBackAttempts, takeAttempts } from "../limits/attempts.js";
import { RATE_LIMITS } from "../limits/rate-limits.js";
import type { RequestInfo } from "../request-info.js";
import {
  type Decision,
  type DeviceCodeRow,
  decideDeviceCode,
  effectiveStatus,
  findDeviceCodeByUserCode,
} from "./device-code-store.js";

export type UserCodeLookup =
  | { kind: "limited" }
  | { kind: "unknown" }
  | { kind: "found"; row: DeviceCodeRow; status: DeviceCodeStatus /** Normalized, `ABCDEFGH`. */; userCode: string };

/**
 * Finds the code a signed-in person typed (any case, dash optional). Each
 * lookup is counted first, against the account and (more loosely) its
 * address, and given back when the code exists, so only misses add up: codes
 * cannot be guessed, and one account's misses never use up another's.
 */
export async function lookUpUserCode(
  db: Db,
  input: { typed: string; userId: string; request: RequestInfo; now: Date },
): Promise<UserCodeLookup> {
  const taken = await takeAttempts(
    db,
    [
      { key: `user-code:account:${input.userId}`, limit: RATE_LIMITS.userCodesPerAccount },
      { key: `user-code:address:${addressKey(input.request.ipAddress)}`, limit: RATE_LIMITS.userCodesPerAddress },
    ],
    input.now,
  );
  if (!taken) return { kind: "limited" };
  const userCode = normalizeUserCode(input.typed);
  const row = userCode ? await findDeviceCodeByUserCode(db, userCode) : undefined;
  if (!userCode || !row) return { kind: "unknown" };
  await giveBackAttempts(db, taken, input.now);
  return { kind: "found", row, status: effectiveStatus(row, input.now), userCode };
}

export type DecisionOutcome =
  /** Decided now, or a repeated click of the same person's same decision. */
  | { kind: "decided" }
  /** Decided before (by someone else, or the other way), or expired. */
  | { kind: "already"; status: DeviceCodeStatus }
  /** Another request decided it between the lookup and this one. */
  | { kind: "raced" };

/** Approves or denies a looked-up pending code as `userId`. */
export async function decideUserCode(
  db: Db,
  found: { row: DeviceCodeRow; status: DeviceCodeStatus },
  decision: Decision,
  userId: string,
  request: RequestInfo,
  now: Date,
): Promise<DecisionOutcome> {
  if (found.status === decision && found.row.userId === userId) return { kind: "decided" };
  if (found.status !== "pending") return { kind: "already", status: found.status };
  const decided = await decideDeviceCode(db, found.row, decision, userId, request, now);
  return decided ? { kind: "decided" } : { kind: "raced" };
}
