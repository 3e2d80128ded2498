import type { CredentialKind, User } from "@claudemesh/sdk/contracts";
import type { PageContext } from "./pages/page-context.js";

/** Who is calling and with what, set by the auth middleware. */
export interface Caller {
  user: User;
  kind: CredentialKind;
  /** The cli_token id; null for a browser session. */
  tokenId: string | null;
  /** PAT name or session device name; null for a browser session. */
  tokenName: string | null;
  expiresAt: Date | null;
  /** When a browser session last proved who it is (step-up/freshness.ts); null for a token. */
  authenticatedAt: Date | null;
}

/** Hono's typed context for every route: `c.var.caller` on the API, `c.var.page` on pages. */
export interface AppEnv {
  Variables: {
    caller: Caller;
    /** Set by the pages' middleware; errors on a page are answered with a page (errors.tsx). */
    page: PageContext;
    /** An API request's JSON body, parsed once by the jsonBody middleware. */
    json: unknown;
    /** The client's address as trusted reverse proxies report it (TRUST_PROXY); unset without them. */
    clientAddress: string | undefined;
  };
}
