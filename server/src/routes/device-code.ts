import {
  DeviceCodeRequest,
  type DeviceCodeResponse,
  type DeviceDecisionResponse,
  type DeviceFingerprint,
  type DevicePollResponse,
  formatUserCode,
  type SlowDownBody,
} from "@claudemesh/sdk/contracts";
import { ClaudemeshError } from "@claudemesh/sdk/errors";
import { type Context, Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import type { Auth } from "../auth.js";
import type { Db } from "../db/database.js";
import {
  admitPoll,
  claimApprovedCode,
  createDeviceCode,
  type Decision,
  type DeviceCodeRow,
  effectiveStatus,
  findDeviceCodeById,
} from "../device-codes/device-code-store.js";
import { decideUserCode, lookUpUserCode } from "../device-codes/user-code-decision.js";
import type { DeviceCodeWakeups } from "../device-codes/wakeups.js";
import { addressKey } from "../limits/address-key.js";
import { takeAttempt } from "../limits/attempts.js";
import { RATE_LIMITS } from "../limits/rate-limits.js";
import { requireWebSession } from "../middleware/caller.js";
import { notFromOtherSites, sameOrigin } from "../middleware/same-origin.js";
import { requireFreshCaller } from "../middleware/step-up.js";
import { type ApprovalPolicy, approvalGuard, deviceFlowDisabled } from "../policy/approval-policy.js";
import { requestInfo } from "../request-info.js";
import type { SecurityNotices } from "../security-alerts/security-notices.js";
import { validJson } from "../validation.js";

// Device codes are 43 base64url characters; user codes are ABCD-EFGH in any case, dash optional.
// Both sit at `/:code`, told apart here: with two patterned parameters at one position,
// Hono's RegExpRouter gives up and every request of the app is routed by its slower trie.
const DEVICE_CODE = /^[A-Za-z0-9_-]{20,}$/;
const USER_CODE = /^[A-Za-z]{4}-?[A-Za-z]{4}$/;
const CODE_PATH = "/:code";

/** Longest a poll may be held open (`?wait=`), in seconds. */
export const MAX_POLL_WAIT_SECONDS = 25;

export interface DeviceCodeRouteDeps {
  db: Db;
  auth: Auth;
  wakeups: DeviceCodeWakeups;
  publicUrl: string;
  /** Emails the account about each new CLI session. */
  notices: SecurityNotices;
  policy: ApprovalPolicy;
  now: () => Date;
}

/**
 * `/api/auth/cli/device-code`: the CLI asks for a code and polls it (no auth);
 * a signed-in browser looks it up and approves or denies it.
 */
export function deviceCodeRoutes({ db, auth, wakeups, publicUrl, policy, notices, now }: DeviceCodeRouteDeps) {
  const routes = new Hono<AppEnv>();
  const verificationUrl = new URL("/cli-auth", publicUrl).toString();

  routes.post("/", validJson(DeviceCodeRequest), async (c) => {
    if (!policy.deviceFlow) throw deviceFlowDisabled();
    const device = c.req.valid("json");
    const request = requestInfo(c);
    const at = now();
    const key = `device-code:address:${addressKey(request.ipAddress)}`;
    if (!(await takeAttempt(db, key, RATE_LIMITS.deviceCodesPerAddress, at))) {
      throw new ClaudemeshError("rate_limited", "Too many sign-in attempts from your network; wait 15 minutes.");
    }
    const { deviceCode, userCode, row } = await createDeviceCode(db, device, request, at);
    const shown = formatUserCode(userCode);
    const complete = new URL(verificationUrl);
    complete.searchParams.set("code", shown);
    return c.json(
      {
        device_code: deviceCode,
        user_code: shown,
        expires_at: row.expiresAt.toISOString(),
        verification_url: verificationUrl,
        verification_url_complete: complete.toString(),
        interval: row.intervalMs / 1000,
      } satisfies DeviceCodeResponse,
      201,
    );
  });

  routes.get(CODE_PATH, async (c, next) => {
    // A user code is the browser's lookup, answered by the signed-in route below.
    if (USER_CODE.test(c.req.param("code"))) return next();
    if (!DEVICE_CODE.test(c.req.param("code"))) throw unknownDeviceCode();
    const wait = parseWait(c.req.query("wait"));
    if (wait === null) {
      throw new ClaudemeshError(
        "invalid_input",
        `wait must be a number of seconds from 0 to ${MAX_POLL_WAIT_SECONDS}.`,
      );
    }
    const gate = await admitPoll(db, c.req.param("code"), now());
    if (gate.kind === "unknown") throw unknownDeviceCode();
    // RFC 8628 §3.5's slow_down is part of the polling protocol, with its own body and header.
    if (gate.kind === "too_fast") {
      const interval = gate.intervalMs / 1000;
      return c.json(
        {
          error: "slow_down",
          message: `Polling too fast; wait ${interval}s between polls.`,
          interval,
        } satisfies SlowDownBody,
        429,
        { "retry-after": String(Math.ceil(interval)) },
      );
    }

    let row = gate.row;
    if (wait > 0 && effectiveStatus(row, now()) === "pending") {
      const subscription = await wakeups.subscribe(row.id);
      try {
        // Re-read after subscribing: a decision committed in between is not missed.
        row = (await findDeviceCodeById(db, row.id)) ?? row;
        const untilExpiry = row.expiresAt.getTime() - now().getTime();
        if (effectiveStatus(row, now()) === "pending") {
          await subscription.wait(Math.max(0, Math.min(wait * 1000, untilExpiry)), c.req.raw.signal);
          row = (await findDeviceCodeById(db, row.id)) ?? row;
        }
      } finally {
        subscription.done();
      }
    }
    return c.json(await pollAnswer(c, row));
  });

  async function pollAnswer(c: Context, row: DeviceCodeRow): Promise<DevicePollResponse> {
    const status = effectiveStatus(row, now());
    if (status !== "approved") return { status };
    if (row.claimedAt) return { status, token: null };
    const claimed = await claimApprovedCode(db, row.id, requestInfo(c), now());
    if (!claimed) {
      // Someone else claimed it, or the claim window just closed.
      const latest = await findDeviceCodeById(db, row.id);
      const latestStatus = latest ? effectiveStatus(latest, now()) : "expired";
      return latestStatus === "approved" ? { status: latestStatus, token: null } : { status: latestStatus };
    }
    await notices.credentialCreated(claimed.tokenId, now());
    return { status, token: claimed.token, user: claimed.user, expires_at: claimed.expiresAt.toISOString() };
  }

  // --- The browser side: signed in, same origin, rate-limited lookups. ---

  const signedIn = requireWebSession(auth);
  const ours = sameOrigin(publicUrl);
  const allowed = approvalGuard(policy, "device");

  /** The code in the path, looked up for the signed-in caller; throws when it cannot be used. */
  async function lookUp(c: Context<AppEnv>) {
    const typed = c.req.param("code") ?? "";
    if (!USER_CODE.test(typed)) throw new ClaudemeshError("not_found", "That is not a code from `claudemesh login`.");
    const found = await lookUpUserCode(db, {
      typed,
      userId: c.var.caller.user.id,
      request: requestInfo(c),
      now: now(),
    });
    if (found.kind === "limited") {
      throw new ClaudemeshError("rate_limited", "Too many wrong codes; wait 15 minutes and try again.");
    }
    if (found.kind === "unknown") {
      throw new ClaudemeshError("not_found", "No login is waiting for that code; check it against your terminal.");
    }
    if (found.status === "expired") {
      throw new ClaudemeshError("gone", "That code has expired; run `claudemesh login` again for a new one.");
    }
    return found;
  }

  routes.get(CODE_PATH, allowed, notFromOtherSites, signedIn, async (c) => {
    const found = await lookUp(c);
    const { row } = found;
    return c.json({
      user_code: formatUserCode(found.userCode),
      status: found.status,
      device_name: row.deviceName,
      device_os: row.deviceOs,
      device_arch: row.deviceArch,
      ip_address: row.ipAddress,
      user_agent: row.userAgent,
      created_at: row.createdAt.toISOString(),
      expires_at: row.expiresAt.toISOString(),
    } satisfies DeviceFingerprint);
  });

  const decide = (decision: Decision) => async (c: Context<AppEnv>) => {
    const found = await lookUp(c);
    const outcome = await decideUserCode(db, found, decision, c.var.caller.user.id, requestInfo(c), now());
    if (outcome.kind === "already") throw new ClaudemeshError("conflict", `This login was already ${outcome.status}.`);
    if (outcome.kind === "raced") throw new ClaudemeshError("conflict", "This login was decided a moment ago.");
    return c.json({ status: decision } satisfies DeviceDecisionResponse);
  };
  // Approving needs a browser that proved who it is in the last hour (step-up); refusing never does.
  routes.post(`${CODE_PATH}/approve`, allowed, signedIn, ours, requireFreshCaller(now), decide("approved"));
  routes.post(`${CODE_PATH}/deny`, allowed, signedIn, ours, decide("denied"));
  return routes;
}

const unknownDeviceCode = () => new ClaudemeshError("not_found", "Unknown device code.");

/** `?wait=` in seconds: absent is 0, above the cap is the cap, anything else unparsable is null. */
function parseWait(value: string | undefined): number | null {
  if (value === undefined || value === "") return 0;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0) return null;
  return Math.min(seconds, MAX_POLL_WAIT_SECONDS);
}
