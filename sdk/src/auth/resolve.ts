import type { CredentialStore, StoredCredential } from "../credentials/credential-store.js";
import { ClaudemeshError } from "../errors.js";
import { parseToken } from "../token.js";

/** Where the token in use came from. */
export type TokenSource = "flag" | "env" | "keychain" | "file";

export interface ResolvedCredential {
  token: string;
  source: TokenSource;
  /** Set when it came from the store: who auth.json says is signed in. */
  stored?: StoredCredential;
}

/**
 * Seed 003's order: `--token` > CLAUDEMESH_TOKEN > the store. A malformed
 * token fails here, before any request. Null when there is no credential at all.
 *
 * @example
 * const credential = await resolveCredential({ flag: opts.token, envToken: env.token, store });
 */
export async function resolveCredential(options: {
  flag?: string;
  envToken?: string;
  store: Pick<CredentialStore, "load">;
}): Promise<ResolvedCredential | null> {
  if (options.flag !== undefined) return { token: parseToken(options.flag).token, source: "flag" };
  if (options.envToken !== undefined) {
    try {
      return { token: parseToken(options.envToken).token, source: "env" };
    } catch (error) {
      throw new ClaudemeshError("invalid_token_format", `CLAUDEMESH_TOKEN: ${(error as Error).message}`);
    }
  }
  const stored = await options.store.load();
  return stored ? { token: stored.token, source: stored.store, stored } : null;
}
