import { createHash, randomBytes } from "node:crypto";

/** Where the CLI's loopback callback listens in these tests. */
export const REDIRECT = "http://127.0.0.1:53682/callback";

/** A PKCE pair (RFC 7636, S256) as a browser login's client makes it. */
export function pkce() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/** A browser login's authorize query (`/cli-auth/authorize`), as `claudemesh login --web` builds it. */
export function authorizeQuery(challenge: string, overrides: Record<string, string> = {}) {
  return {
    redirect_uri: REDIRECT,
    state: randomBytes(16).toString("hex"),
    code_challenge: challenge,
    code_challenge_method: "S256",
    device_name: "Grace's desktop",
    device_os: "linux",
    device_arch: "x64",
    ...overrides,
  };
}
