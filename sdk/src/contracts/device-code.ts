import * as z from "zod";
import { Timestamp, User } from "./common.js";
import { lazySchema } from "./lazy-schema.js";
import { DisplayName } from "./neutral-text.js";

/** RFC 8628 §6.1: consonants only, so no words and no 0/O or 1/I confusion. */
export const USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
export const USER_CODE_LENGTH = 8;

/**
 * A user code as typed: any case, with or without the dash or spaces, reduced
 * to its 8 characters, or null when it cannot be one.
 *
 * @example
 * normalizeUserCode("bcdf-ghjk"); // "BCDFGHJK"
 */
export function normalizeUserCode(input: string): string | null {
  const compact = input.replace(/[\s-]/g, "").toUpperCase();
  if (compact.length !== USER_CODE_LENGTH) return null;
  for (const ch of compact) if (!USER_CODE_ALPHABET.includes(ch)) return null;
  return compact;
}

/** "BCDFGHJK" → "BCDF-GHJK", as it is shown. */
export function formatUserCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** `POST /api/auth/cli/device-code`: the CLI describes itself. */
export const DeviceCodeRequest = lazySchema(() =>
  z.object({
    device_name: DisplayName(200),
    device_os: DisplayName(50),
    device_arch: DisplayName(50),
  }),
);
export type DeviceCodeRequest = z.infer<typeof DeviceCodeRequest>;

export const DeviceCodeResponse = lazySchema(() =>
  z.object({
    /** Secret: only the CLI that asked knows it; it polls with it. */
    device_code: z.string(),
    /** Shown to the person, as ABCD-EFGH. */
    user_code: z.string(),
    expires_at: Timestamp,
    /** The approval page, without the code. */
    verification_url: z.string().url(),
    /** The approval page with the code filled in. */
    verification_url_complete: z.string().url(),
    /** Seconds to wait between polls. */
    interval: z.number().positive(),
  }),
);
export type DeviceCodeResponse = z.infer<typeof DeviceCodeResponse>;

export const DeviceCodeStatus = lazySchema(() => z.enum(["pending", "approved", "denied", "expired"]));
export type DeviceCodeStatus = z.infer<typeof DeviceCodeStatus>;

/**
 * `GET /api/auth/cli/device-code/:device_code[?wait=seconds]`.
 * `token` is set exactly once, for the first poll that sees the approval;
 * later polls get `status: "approved", token: null` (already claimed).
 */
export const DevicePollResponse = lazySchema(() =>
  z.object({
    status: DeviceCodeStatus,
    token: z.string().nullable().optional(),
    user: User.optional(),
    /** When the issued token expires (sliding: renewed on use). */
    expires_at: Timestamp.optional(),
  }),
);
export type DevicePollResponse = z.infer<typeof DevicePollResponse>;

/** `429` body when a poll comes sooner than `interval` allows; poll no faster than the new interval. */
export const SlowDownBody = lazySchema(() =>
  z.object({
    error: z.literal("slow_down"),
    message: z.string(),
    interval: z.number().positive(),
  }),
);
export type SlowDownBody = z.infer<typeof SlowDownBody>;

/** `GET /api/auth/cli/device-code/:user_code` (web session): what the approval page shows. */
export const DeviceFingerprint = lazySchema(() =>
  z.object({
    user_code: z.string(),
    status: DeviceCodeStatus,
    device_name: z.string(),
    device_os: z.string(),
    device_arch: z.string(),
    ip_address: z.string().nullable(),
    user_agent: z.string().nullable(),
    created_at: Timestamp,
    expires_at: Timestamp,
  }),
);
export type DeviceFingerprint = z.infer<typeof DeviceFingerprint>;

/** Answer to approve/deny. */
export const DeviceDecisionResponse = lazySchema(() =>
  z.object({
    status: z.enum(["approved", "denied"]),
  }),
);
export type DeviceDecisionResponse = z.infer<typeof DeviceDecisionResponse>;
