import type { ApiClient } from "../api/client.js";
import type { Whoami } from "../contracts/whoami.js";
import type { CredentialStore } from "../credentials/credential-store.js";
import { ClaudemeshError, isAuthError } from "../errors.js";
import { type ResolvedCredential, resolveCredential } from "./resolve.js";

/** Makes a client for the door's server: without a token (sign-in flows), or signed in with one. */
export type ApiFactory = (token?: string) => Promise<ApiClient>;

/** Where a credential may come from, strongest first: `--token`, CLAUDEMESH_TOKEN, the store. */
export interface CredentialSources {
  flag?: string;
  envToken?: string;
  store: Pick<CredentialStore, "load">;
}

/** A client signed in with the credential in use, and where that credential came from. */
export interface Connection {
  api: ApiClient;
  credential: ResolvedCredential;
}

/**
 * The credential in use (`--token` > CLAUDEMESH_TOKEN > store), or
 * `auth_required` naming the server when there is none.
 *
 * @example
 * const credential = await requireCredential({ flag, envToken: env.token, store, apiUrl });
 */
export async function requireCredential(options: CredentialSources & { apiUrl: string }): Promise<ResolvedCredential> {
  const credential = await resolveCredential(options);
  if (!credential) throw new ClaudemeshError("auth_required", `Not signed in to ${options.apiUrl}.`);
  return credential;
}

/**
 * Resolves the credential and gives a client signed in with it: what every
 * command that calls the server starts with.
 *
 * @example
 * const { api, credential } = await connect({ flag, envToken: env.token, store, api: makeApi, apiUrl });
 */
export async function connect(options: CredentialSources & { api: ApiFactory; apiUrl: string }): Promise<Connection> {
  const credential = await requireCredential(options);
  return { api: await options.api(credential.token), credential };
}

/** Who the credential in use belongs to, as the server answered (or why it could not say). */
export type IdentityCheck =
  | { kind: "signed_out" }
  /** The store could not be read (corrupt auth.json, a locked keychain); nothing was asked. */
  | { kind: "unreadable"; error: unknown }
  | { kind: "signed_in"; credential: ResolvedCredential; me: Whoami }
  /** The server refused the token (revoked, expired, unknown): sign in again. */
  | { kind: "rejected"; credential: ResolvedCredential; error: ClaudemeshError }
  /** The server could not be asked (offline, wrong URL, an error of its own). */
  | { kind: "unreachable"; credential: ResolvedCredential; error: unknown };

/**
 * Resolves the credential and asks the server whose it is, reporting every
 * outcome as data: a refused token is `rejected`, anything else that stops
 * the answer is `unreachable`, so a network blip never reads as signed out.
 *
 * @example
 * const check = await checkIdentity({ envToken: env.token, store, api: makeApi });
 * if (check.kind === "signed_in") show(check.me.user);
 */
export async function checkIdentity(options: CredentialSources & { api: ApiFactory }): Promise<IdentityCheck> {
  let credential: ResolvedCredential | null;
  try {
    credential = await resolveCredential(options);
  } catch (error) {
    return { kind: "unreadable", error };
  }
  if (!credential) return { kind: "signed_out" };
  try {
    const me = await (await options.api(credential.token)).whoami();
    return { kind: "signed_in", credential, me };
  } catch (error) {
    if (isAuthError(error)) return { kind: "rejected", credential, error };
    return { kind: "unreachable", credential, error };
  }
}
