import * as z from "zod";
import { Timestamp, User } from "./common.js";
import { DisplayName } from "./neutral-text.js";

/**
 * RFC 8252 §7.3: the browser sends the code back to a loopback address only,
 * on any port the CLI chose.
 */
export function isLoopbackRedirect(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    url.protocol === "http:" &&
    (url.hostname === "127.0.0.1" || url.hostname === "[::1]" || url.hostname === "localhost")
  );
}

/** The query of `GET /cli-auth/authorize`, which the CLI opens in the browser. */
export const LoopbackAuthorizeQuery = z.object({
  redirect_uri: z.string().refine(isLoopbackRedirect, "redirect_uri must be http://127.0.0.1:<port>/…"),
  state: z.string().min(16).max(200),
  /** base64url(SHA-256(code_verifier)), RFC 7636. */
  code_challenge: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "code_challenge must be a base64url SHA-256"),
  code_challenge_method: z.literal("S256"),
  device_name: DisplayName(200),
  device_os: DisplayName(50),
  device_arch: DisplayName(50),
});
export type LoopbackAuthorizeQuery = z.infer<typeof LoopbackAuthorizeQuery>;

/** `POST /api/auth/cli/loopback/token`: the CLI's back channel. */
export const LoopbackTokenRequest = z.object({
  code: z.string().min(1).max(200),
  code_verifier: z.string().min(43).max(128),
  redirect_uri: z.string(),
});
export type LoopbackTokenRequest = z.infer<typeof LoopbackTokenRequest>;

export const LoopbackTokenResponse = z.object({
  token: z.string(),
  user: User,
  expires_at: Timestamp,
});
export type LoopbackTokenResponse = z.infer<typeof LoopbackTokenResponse>;
