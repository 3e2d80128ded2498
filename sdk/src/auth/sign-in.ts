import type { Whoami } from "../contracts/whoami.js";
import type { CredentialSource } from "../credentials/auth-file.js";
import type { CredentialStore, StoredCredential, TokenStoreKind } from "../credentials/credential-store.js";
import { ClaudemeshError } from "../errors.js";
import { parseToken } from "../token.js";
import type { LoginResult } from "./device-flow.js";
import type { ApiFactory } from "./session.js";
import { revokeStoredSession, type SessionRevocation } from "./session-revocation.js";

/** A token checked with the server: the login to keep and what the server says the token is. */
export interface TokenSignIn {
  login: LoginResult;
  /** What auth.json records: a given token counts as a PAT sign-in, whatever its kind. */
  source: CredentialSource;
  /** Its kind, and a PAT's name (`via PAT "ci-deploy"`). */
  credential: Whoami["credential"];
}

/**
 * Signs in with a token someone gave (a PAT, or a session token): a mistyped
 * one fails before any request (`invalid_token_format`), then the server says
 * whose it is; a token it refuses throws its auth error. Keeping it is
 * `keepLogin`'s job.
 *
 * @example
 * const { login, source } = await signInWithToken({ api: makeApi, token: pasted });
 * await keepLogin({ store, api: makeApi, login, source });
 */
export async function signInWithToken(options: { api: ApiFactory; token: string }): Promise<TokenSignIn> {
  const token = parseToken(options.token.trim()).token;
  const me = await (await options.api(token)).whoami();
  return {
    login: { token, user: me.user, expiresAt: me.credential.expires_at },
    source: "pat",
    credential: me.credential,
  };
}

/** Where a kept login went, and what became of the session it replaced. */
export interface KeptLogin {
  saved: { store: TokenStoreKind };
  replaced: SessionRevocation;
}

/**
 * Keeps a new login in the store, then revokes the session token it replaced
 * (re-login replaces, and revokes what it replaced; a PAT is the user's to
 * revoke). The revocation is best effort and reported, never thrown: the new
 * login is kept either way.
 *
 * @example
 * const kept = await keepLogin({ store, api: makeApi, login, source: "device-code", replacing: previous });
 * if (kept.replaced.outcome === "failed") warn("revoke it with `claudemesh sessions`");
 */
export async function keepLogin(options: {
  store: Pick<CredentialStore, "load" | "save">;
  api: ApiFactory;
  login: LoginResult;
  source: CredentialSource;
  /** What this login replaces, read before the sign-in began; when absent, read from the store now. Null: nothing. */
  replacing?: StoredCredential | null;
}): Promise<KeptLogin> {
  const replacing = options.replacing === undefined ? await storedOrNull(options.store) : options.replacing;
  const saved = await options.store.save({ ...options.login, source: options.source });
  const replaced = await revokeStoredSession(options.api, replacing, options.login.token);
  return { saved, replaced };
}

/** The stored credential; an unreadable store (corrupt, locked) is replaced by the login, so counts as none. */
async function storedOrNull(store: Pick<CredentialStore, "load">): Promise<StoredCredential | null> {
  try {
    return await store.load();
  } catch (error) {
    if (error instanceof ClaudemeshError) return null;
    throw error;
  }
}
