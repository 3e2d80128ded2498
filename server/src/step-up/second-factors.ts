import { passkey } from "@better-auth/passkey";
import { twoFactor } from "better-auth/plugins";

/** The name authenticator apps and passkey prompts show for this server. */
const ISSUER = "claudemesh";

/**
 * Better Auth's second factors: TOTP with single-use backup codes, and passkeys
 * bound to PUBLIC_URL (its host is the WebAuthn relying-party ID, its origin the
 * only origin an assertion is accepted from).
 */
export function secondFactorPlugins(publicUrl: string) {
  const url = new URL(publicUrl);
  return [twoFactor({ issuer: ISSUER }), passkey({ rpID: url.hostname, rpName: ISSUER, origin: url.origin })];
}
