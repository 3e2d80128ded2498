import * as z from "zod";
import { Timestamp, User } from "./common.js";
import { lazySchema } from "./lazy-schema.js";
import { DisplayName } from "./neutral-text.js";

/**
 * RFC 8252 §7.3: the browser sends the code back to a loopback address only,
 * on any port the CLI chose.
 */
export function isLoopbackRedirect(value: string): boolean {
  const url = parsed(value);
  return (
    url !== null &&
    url.protocol === "http:" &&
    (url.hostname === "127.0.0.1" || url.hostname === "[::1]" || url.hostname === "localhost")
  );
}

/** The URI schemes of VS Code and its builds: the operating system hands such a link to the editor installed here. */
export const EDITOR_URI_SCHEMES = ["vscode", "vscode-insiders", "code-oss", "vscodium"] as const;

/** The claudemesh extension's id: an editor passes `<scheme>://claudemesh.claudemesh/…` to it and to no other. */
export const EDITOR_EXTENSION_ID = "claudemesh.claudemesh";

/**
 * RFC 8252 §7.1 (private-use URI scheme): `vscode://claudemesh.claudemesh/…`
 * opens the editor on the approving person's own machine, which hands it to
 * the claudemesh extension only. Any other extension, and any web address, is refused.
 */
export function isEditorRedirect(value: string): boolean {
  const url = parsed(value);
  if (!url) return false;
  const scheme = url.protocol.slice(0, -1);
  return (
    (EDITOR_URI_SCHEMES as readonly string[]).includes(scheme) &&
    url.host.toLowerCase() === EDITOR_EXTENSION_ID &&
    url.username === "" &&
    url.password === "" &&
    url.hash === ""
  );
}

/** Where a browser sign-in may send its code: this computer's loopback, or the editor on it. */
export function isSignInRedirect(value: string): boolean {
  return isLoopbackRedirect(value) || isEditorRedirect(value);
}

/**
 * Where a redirect URI leads, as the approval page names it: the origin of a
 * loopback address, or `scheme://extension-id` for the editor.
 */
export function redirectTarget(value: string): string {
  const url = parsed(value);
  if (!url) return value;
  return url.origin === "null" ? `${url.protocol}//${url.host}` : url.origin;
}

function parsed(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/** The query of `GET /cli-auth/authorize`, which the CLI (or the editor) opens in the browser. */
export const LoopbackAuthorizeQuery = lazySchema(() =>
  z.object({
    redirect_uri: z
      .string()
      .max(2000)
      .refine(isSignInRedirect, "redirect_uri must be http://127.0.0.1:<port>/… or vscode://claudemesh.claudemesh/…"),
    state: z.string().min(16).max(200),
    /** base64url(SHA-256(code_verifier)), RFC 7636. */
    code_challenge: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "code_challenge must be a base64url SHA-256"),
    code_challenge_method: z.literal("S256"),
    device_name: DisplayName(200),
    device_os: DisplayName(50),
    device_arch: DisplayName(50),
  }),
);
export type LoopbackAuthorizeQuery = z.infer<typeof LoopbackAuthorizeQuery>;

/** `POST /api/auth/cli/loopback/token`: the client's back channel. */
export const LoopbackTokenRequest = lazySchema(() =>
  z.object({
    code: z.string().min(1).max(200),
    code_verifier: z.string().min(43).max(128),
    redirect_uri: z.string(),
  }),
);
export type LoopbackTokenRequest = z.infer<typeof LoopbackTokenRequest>;

export const LoopbackTokenResponse = lazySchema(() =>
  z.object({
    token: z.string(),
    user: User,
    expires_at: Timestamp,
  }),
);
export type LoopbackTokenResponse = z.infer<typeof LoopbackTokenResponse>;
