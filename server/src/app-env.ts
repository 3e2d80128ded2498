import type { CredentialKind, User } from "@claudemesh/sdk/contracts";

/** Who is calling and with what, set by the auth middleware. */
export interface Caller {
  user: User;
  kind: CredentialKind;
  /** The cli_token id; null for a browser session. */
  tokenId: string | null;
  /** PAT name or session device name; null for a browser session. */
  tokenName: string | null;
  expiresAt: Date | null;
}

/** Hono's typed context for every route: `c.var.caller`. */
export interface AppEnv {
  Variables: { caller: Caller };
}
